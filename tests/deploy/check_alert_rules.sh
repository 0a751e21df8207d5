#!/usr/bin/env bash
# Checks deploy/prometheus/alerts.yml (ctest -R deploy.alert_rules):
# `promtool check rules` (the file parses, every expression is valid PromQL,
# every template too) and `promtool test rules` on alerts_test.yml (each
# alert fires on the series that should fire it, with its labels and
# annotations, and not on those that should not).
#   bash tests/deploy/check_alert_rules.sh [deploy/prometheus]
# Without promtool it fails and says to run `make deps`.
set -euo pipefail
dir=${1:-"$(dirname "$0")/../../deploy/prometheus"}
promtool=${PROMTOOL:-$(command -v promtool || true)}
if [ -z "$promtool" ]; then
  echo "check_alert_rules: promtool not found: run \`make deps\` (scripts/install-deps.sh installs Debian's prometheus package, which brings promtool)" >&2
  exit 1
fi
"$promtool" check rules "$dir/alerts.yml"
"$promtool" test rules "$dir/alerts_test.yml"
