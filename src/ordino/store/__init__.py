"""Storage: the only package that speaks SQL. Tables, repositories, the unit of work."""
