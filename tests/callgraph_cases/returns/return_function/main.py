def parse_csv(text):
    return [row.split(",") for row in text.splitlines()]


def parse_tsv(text):
    return [row.split("\t") for row in text.splitlines()]


def parser_for(filename):
    if filename.endswith(".tsv"):
        return parse_tsv
    return parse_csv


rows = parser_for("export.csv")("id,name\n1,ada")
