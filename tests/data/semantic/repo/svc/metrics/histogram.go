package metrics

import "sort"

// Histogram keeps observed request durations and answers quantiles.
type Histogram struct {
	samples []float64
}

func (h *Histogram) Observe(seconds float64) { h.samples = append(h.samples, seconds) }

// Quantile returns the q-th quantile (0.99 for the p99) of what was observed.
func (h *Histogram) Quantile(q float64) float64 {
	if len(h.samples) == 0 {
		return 0
	}
	s := append([]float64(nil), h.samples...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1))]
}
