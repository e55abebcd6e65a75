class QueryBuilder:
    def __init__(self, table):
        self.table = table
        self.filters = []
        self.order = None
        self.max_rows = None

    def where(self, clause):
        self.filters.append(clause)
        return self

    def order_by(self, column):
        self.order = column
        return self

    def limit(self, n):
        self.max_rows = n
        return self

    def build(self):
        sql = f"SELECT * FROM {self.table}"
        if self.filters:
            sql += " WHERE " + " AND ".join(self.filters)
        return sql


query = QueryBuilder("orders").where("paid = 1").where("total > 10").order_by("id").limit(5)
query.build()
