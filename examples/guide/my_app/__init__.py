import os

from huey import RedisHuey, crontab
from huey.serializer import SignedSerializer
from huey.signals import SIGNAL_INTERRUPTED

huey = RedisHuey(
    "my-app",
    url=os.environ["REDIS_URL"],
    serializer=SignedSerializer(secret=os.environ["HUEY_SECRET"]),
)


@huey.signal(SIGNAL_INTERRUPTED)
def on_interrupted(signal, task, *args, **kwargs):
    # Re-enqueue tasks interrupted by a shutdown; tasks are idempotent.
    huey.enqueue(task)


@huey.task()
def send_welcome_email(user_id):
    print("welcome", user_id)


@huey.periodic_task(crontab(minute="0", hour="3"))
def nightly_cleanup():
    print("cleanup")
