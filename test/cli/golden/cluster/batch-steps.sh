aws batch register-job-definition --cli-input-json file://synergy-sweep.json
jobid=$(aws batch submit-job --job-name synergy-sweep --job-queue "$QUEUE" --job-definition synergy-sweep --array-properties size=3 --query jobId --output text)
aws batch submit-job --job-name synergy-sweep-merge --job-queue "$QUEUE" --job-definition synergy-sweep --depends-on jobId=$jobid --container-overrides '{"command":["sh","-c","synergy merge /data/results.part-*.csv --out /data/results.csv"],"resourceRequirements":[{"type":"VCPU","value":"1"}]}'
