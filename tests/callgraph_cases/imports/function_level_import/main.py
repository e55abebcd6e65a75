def export_report(records):
    from json import dumps

    import exporters

    rows = exporters.to_rows(records)
    return dumps({"rows": rows})


def export_checksum(payload):
    import zlib

    return zlib.crc32(payload.encode("utf-8"))


document = export_report([{"id": 1, "name": "alpha"}, {"id": 2, "name": "beta"}])
export_checksum(document)
