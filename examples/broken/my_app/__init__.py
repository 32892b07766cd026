import os

from huey import RedisHuey, crontab

# A shared Redis and plain pickle: whoever can write to the queue runs code in the consumer.
huey = RedisHuey("my-app", url=os.environ["REDIS_URL"])


@huey.task()
def resize_image(image_id):
    print("resizing", image_id)


@huey.periodic_task(crontab(minute="0", hour="*/6"))
@huey.lock_task("sync-catalog")
def sync_catalog():
    print("syncing")
