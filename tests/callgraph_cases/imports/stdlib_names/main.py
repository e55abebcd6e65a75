import json
import os.path
from collections import OrderedDict
from os import path as osp
from textwrap import dedent as undent


def config_location(base, name):
    return os.path.join(base, "conf", name)


def load_settings(text):
    raw = json.loads(undent(text))
    return OrderedDict(sorted(raw.items()))


location = config_location("/etc", "app.json")
settings = load_settings('{"debug": false, "workers": 4}')
is_abs = osp.isabs(location)
