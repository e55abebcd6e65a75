def encode(text):
    return text.encode("utf-8")


def decode(payload):
    return payload.decode("utf-8")


class Codec:
    def __init__(self):
        self.forward = encode
        self.backward = decode

    def reverse(self):
        self.forward, self.backward = self.backward, self.forward


codec = Codec()
raw = codec.forward("héllo")
codec.reverse()
text = codec.forward(raw)

outgoing, incoming = decode, encode
outgoing, incoming = incoming, outgoing
wire = outgoing("ping")
reply = incoming(wire)
