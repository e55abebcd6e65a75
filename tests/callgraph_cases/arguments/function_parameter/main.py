def nightly_backup():
    return {"status": "done", "files": 120}


def notify_slack(result):
    return f"backup {result['status']}"


def run_job(job, notify):
    result = job()
    notify(result)
    return result


run_job(nightly_backup, notify_slack)
