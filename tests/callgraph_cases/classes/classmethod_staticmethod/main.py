class Temperature:
    def __init__(self, celsius):
        self.celsius = celsius

    @classmethod
    def from_fahrenheit(cls, degrees):
        return cls(cls.to_celsius(degrees))

    @staticmethod
    def to_celsius(degrees):
        return (degrees - 32) * 5 / 9

    @staticmethod
    def freezing():
        return Temperature(0)

    def describe(self):
        return f"{self.celsius:.1f} C"


boiling = Temperature.from_fahrenheit(212)
body = boiling.from_fahrenheit(98.6)
ice = Temperature.freezing()
mild = boiling.to_celsius(50)
summary = [t.describe() for t in (boiling, body, ice)]
