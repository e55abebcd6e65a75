class Calculator:
    def __init__(self):
        self.operations = {
            "+": self.add,
            "-": self.subtract,
            "*": self.multiply,
        }
        self.history = []

    def add(self, a, b):
        return a + b

    def subtract(self, a, b):
        return a - b

    def multiply(self, a, b):
        return a * b

    def evaluate(self, expression):
        left, operator, right = expression.split()
        result = self.operations[operator](int(left), int(right))
        self.history.append(result)
        return result


calculator = Calculator()
answers = [calculator.evaluate(text) for text in ("1 + 2", "9 - 4", "6 * 7")]
