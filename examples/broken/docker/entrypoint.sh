#!/bin/sh
set -e
python manage.py migrate --noinput
# Start the consumer "on the side", then hand PID 1 to the web server:
# `docker stop` never reaches the consumer.
python manage.py run_huey -w 2 &
exec "$@"
