package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"

	"hotline"
	"hotline/wfm"
)

// ErlangQuery reads an Erlang question from query parameters (the API's
// and the CLI's names): calls and aht_seconds required; interval_minutes
// 30, target_seconds 15 and service_level 0.8 by default.
func ErlangQuery(q url.Values) (wfm.Need, error) {
	n, err := needQuery(q, true, wfm.Need{IntervalSeconds: 1800, TargetSeconds: 15, ServiceLevel: 0.8})
	if err != nil {
		return n, err
	}
	return n, n.Check()
}

// needQuery reads the Erlang parameters over the defaults in n; calls
// and aht_seconds are required when required.
func needQuery(q url.Values, required bool, n wfm.Need) (wfm.Need, error) {
	for _, f := range []struct {
		name     string
		into     *float64
		scale    float64
		required bool
	}{
		{"calls", &n.Calls, 1, required}, {"interval_minutes", &n.IntervalSeconds, 60, false}, {"aht_seconds", &n.AHTSeconds, 1, required},
		{"target_seconds", &n.TargetSeconds, 1, false}, {"service_level", &n.ServiceLevel, 1, false},
		{"patience_seconds", &n.PatienceSeconds, 1, false}, {"max_occupancy", &n.MaxOccupancy, 1, false}, {"shrinkage", &n.Shrinkage, 1, false},
	} {
		v := q.Get(f.name)
		if v == "" {
			if f.required {
				return n, hotline.Invalid(f.name, "缺少参数 %s", f.name)
			}
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return n, hotline.Invalid(f.name, "%s 应为数字", f.name)
		}
		*f.into = x * f.scale
	}
	return n, nil
}

// ErlangJSON is the answer as the API and the CLI give it: abandon_rate
// only when callers' patience was given (Erlang A).
func ErlangJSON(n wfm.Need, s wfm.Staffing) map[string]any {
	out := map[string]any{"agents": s.Agents, "scheduled": s.Scheduled, "service_level": s.ServiceLevel, "probability_wait": s.ProbabilityWait,
		"occupancy": s.Occupancy, "asa_seconds": s.ASASeconds, "load_erlangs": s.Load, "model": "erlang_c"}
	if n.PatienceSeconds > 0 {
		out["abandon_rate"], out["model"] = s.AbandonRate, "erlang_a"
	}
	return out
}

// handleErlang is GET /api/v1/wfm/erlang?calls=&interval_minutes=&aht_seconds=&target_seconds=&service_level=[&patience_seconds=][&max_occupancy=][&shrinkage=]:
// the fewest agents that meet the service level and the occupancy cap.
func (s *Server) handleErlang(w http.ResponseWriter, r *http.Request) {
	n, err := ErlangQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ErlangJSON(n, wfm.Required(n)))
}
