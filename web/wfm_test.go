package web_test

import (
	"math"
	"testing"
)

// TestAPI_Erlang: the worked example over HTTP (14 agents, 20 scheduled
// at 30% shrinkage), Erlang A when the patience is given (fewer agents,
// an abandon rate), defaults, and refusals naming the parameter.
func TestAPI_Erlang(t *testing.T) {
	e := MustServer(t)
	var c map[string]any
	e.call("lead", "GET", "/api/v1/wfm/erlang?calls=100&interval_minutes=30&aht_seconds=180&target_seconds=20&service_level=0.8&shrinkage=0.3", nil, 200, &c)
	if c["agents"] != 14.0 || c["scheduled"] != 20.0 || math.Abs(c["service_level"].(float64)-0.8884) > 5e-4 ||
		math.Abs(c["probability_wait"].(float64)-0.1741) > 5e-4 || math.Abs(c["occupancy"].(float64)-0.7143) > 5e-4 ||
		math.Abs(c["asa_seconds"].(float64)-7.84) > 0.01 || c["abandon_rate"] != nil {
		t.Errorf("Erlang C: %v", c)
	}
	var a map[string]any
	e.call("lead", "GET", "/api/v1/wfm/erlang?calls=100&aht_seconds=180&target_seconds=20&patience_seconds=60", nil, 200, &a)
	if a["agents"].(float64) >= 14 || a["abandon_rate"].(float64) <= 0 || a["service_level"].(float64) < 0.8 || a["model"] != "erlang_a" {
		t.Errorf("Erlang A: %v", a)
	}
	var d map[string]any // 15 s and 80% by default
	e.call("lead", "GET", "/api/v1/wfm/erlang?calls=100&aht_seconds=180", nil, 200, &d)
	if d["agents"] != 14.0 || d["service_level"].(float64) < 0.8 {
		t.Errorf("defaults: %v", d)
	}
	for q, field := range map[string]string{
		"aht_seconds=180":                           "calls",
		"calls=100":                                 "aht_seconds",
		"calls=abc&aht_seconds=180":                 "calls",
		"calls=NaN&aht_seconds=180":                 "calls",
		"calls=100&aht_seconds=180&service_level=1": "service_level",
		"calls=100&aht_seconds=180&shrinkage=-0.1":  "shrinkage",
		"calls=100&aht_seconds=0":                   "aht_seconds",
	} {
		var bad apiError
		e.call("lead", "GET", "/api/v1/wfm/erlang?"+q, nil, 400, &bad)
		if bad.Error.Field != field {
			t.Errorf("%s: %+v, want the field %s", q, bad, field)
		}
	}
	e.call("agent", "GET", "/api/v1/wfm/erlang?calls=100&aht_seconds=180", nil, 403, nil)
}
