"""Analytics' console page: the dashboard's figures and charts."""
