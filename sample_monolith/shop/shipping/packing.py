"""Split an order into parcels the carrier accepts (first-fit decreasing by weight)."""
from ..core.db import get_setting
from .models import Parcel

PACKAGING_WEIGHT_G = 150  # box + filler, per parcel


class PackingError(ValueError):
    pass


def pack(items, max_weight_g=None):
    """items: [(sku, unit_weight_g, quantity)] -> [Parcel]."""
    max_weight_g = max_weight_g or get_setting("shipping.max_parcel_weight_g", 20000)
    capacity = max_weight_g - PACKAGING_WEIGHT_G
    units = []
    for sku, weight, quantity in items:
        if weight > capacity:
            raise PackingError(f"{sku} ({weight} g) does not fit in any parcel")
        units.extend([(sku, weight)] * quantity)
    units.sort(key=lambda u: (-u[1], u[0]))
    bins = []  # [weight, {sku: qty}]
    for sku, weight in units:
        for box in bins:
            if box[0] + weight <= capacity:
                box[0] += weight
                box[1][sku] = box[1].get(sku, 0) + 1
                break
        else:
            bins.append([weight, {sku: 1}])
    return [
        Parcel(number=i + 1, weight_g=weight + PACKAGING_WEIGHT_G, items=sorted(contents.items()))
        for i, (weight, contents) in enumerate(bins)
    ]


def volumetric_weight_g(length_cm, width_cm, height_cm, divisor=None):
    divisor = divisor or get_setting("shipping.volumetric_divisor", 5000)
    return int(length_cm * width_cm * height_cm * 1000 / divisor)


def chargeable_weight_g(actual_g, dimensions):
    return max(actual_g, volumetric_weight_g(*dimensions))
