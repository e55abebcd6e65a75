import customers
import orders

orders.place_order(1, 99.0)
customers.lifetime_value(1)
