def gzip_compressor(data):
    return b"gz:" + data


def zstd_compressor(data):
    return b"zs:" + data


def default_compressor():
    return gzip_compressor


def compressor_from_settings(settings):
    if settings.get("fast"):
        return zstd_compressor
    return default_compressor()


def build_writer(settings):
    compress = compressor_from_settings(settings)
    return compress


build_writer({})(b"payload")
build_writer({"fast": True})(b"payload")
