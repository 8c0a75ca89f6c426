"""The fulfilment network: locations (warehouses, stores, suppliers), products, how
each location works, carrier services and what fulfilling costs, sales channels."""
