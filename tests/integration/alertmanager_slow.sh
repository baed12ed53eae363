# alertmanager_test.sh with the alert rules exactly as shipped (`for:` 15m on the drift alerts):
# FeatureDriftDetected and DatasetDriftDetected reach the webhook about 16 minutes after the demo
# starts, and the clean demo fires no drift or quality alert over those 20 minutes.
FOR=production DEADLINE=1200 MIN_OBSERVE=1200 exec bash "$(dirname "$0")/alertmanager_test.sh" "$@"
