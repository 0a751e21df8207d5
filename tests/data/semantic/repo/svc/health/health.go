package health

import (
	"encoding/json"
	"net/http"
)

// Checker probes one dependency (database, cache, payment provider).
type Checker func() error

// Handler answers 200 when every dependency is reachable, 503 naming the ones that are not.
func Handler(checks map[string]Checker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		failing := map[string]string{}
		for name, check := range checks {
			if err := check(); err != nil {
				failing[name] = err.Error()
			}
		}
		if len(failing) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(failing)
	}
}
