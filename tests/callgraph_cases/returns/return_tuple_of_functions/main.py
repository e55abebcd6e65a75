import base64


def encode_token(payload):
    return base64.b64encode(payload.encode("utf-8"))


def decode_token(token):
    return base64.b64decode(token).decode("utf-8")


def token_codec():
    return encode_token, decode_token


encode, decode = token_codec()
decode(encode("user=ada;exp=3600"))
