"""Analytics: the dashboard's figures (KPIs) per day and over a range."""
