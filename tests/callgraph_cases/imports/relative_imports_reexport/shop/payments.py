def charge(owner, amount):
    return {"owner": owner, "charged": amount}
