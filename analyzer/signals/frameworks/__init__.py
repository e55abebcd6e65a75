"""Built-in wiring recognizers, one module per framework (see analyzer.signals.wiring).

Every module in this package is loaded when recognizers are collected: adding a framework is
adding one file here whose recognizer classes carry the `@recognizer` decorator.
"""
