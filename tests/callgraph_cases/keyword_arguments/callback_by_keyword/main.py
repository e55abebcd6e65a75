def log_success(response):
    return f"ok {response['status']}"


def log_failure(error):
    return f"failed: {error}"


def fetch(url, on_success=None, on_error=None):
    status = 404 if url.endswith("/missing") else 200
    if status == 200:
        return on_success({"url": url, "status": status})
    return on_error(f"status {status}")


fetch("https://api.example.com/items", on_error=log_failure, on_success=log_success)
fetch("https://api.example.com/missing", on_success=log_success, on_error=log_failure)
