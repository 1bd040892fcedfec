package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"hotline"
	"hotline/sqldb"
	"hotline/wfm"
)

// forecastQuery reads the forecast's days (28) and staffing target (the
// Erlang parameters but calls; AHT from the calls when not given).
func forecastQuery(q url.Values) (int, wfm.Need, error) {
	days := 28
	if v := q.Get("days"); v != "" {
		var err error
		if days, err = strconv.Atoi(v); err != nil {
			return 0, wfm.Need{}, hotline.Invalid("days", "预测天数应为整数")
		}
	}
	// The target as for the Erlang API, without calls; the AHT from the
	// calls themselves when not given (0).
	need, err := needQuery(q, false, wfm.Need{IntervalSeconds: 1800, TargetSeconds: 15, ServiceLevel: 0.8,
		MaxOccupancy: wfm.DefaultMaxOccupancy, Shrinkage: wfm.DefaultShrinkage})
	if err == nil {
		probe := need
		if q.Get("aht_seconds") == "" {
			probe.AHTSeconds = 1
		}
		err = probe.Check()
	}
	return days, need, err
}

// handleForecast is GET /api/v1/wfm/forecast?days=28[&target_seconds=…]:
// the calls per half hour of the days ahead and the agents they need.
func (s *Server) handleForecast(w http.ResponseWriter, r *http.Request) {
	days, need, err := forecastQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v, err := s.DB.Workforce().Forecast(r.Context(), actorFrom(r), days, need)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// handleAdjustments is GET /api/v1/wfm/adjustments.
func (s *Server) handleAdjustments(w http.ResponseWriter, r *http.Request) {
	items, err := s.DB.Workforce().Adjustments(r.Context(), actorFrom(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// handleAddAdjustment is POST /api/v1/wfm/adjustments {"from","to","factor","note"}.
func (s *Server) handleAddAdjustment(w http.ResponseWriter, r *http.Request) {
	var in sqldb.ForecastAdjustment
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	a, err := s.DB.Workforce().AddAdjustment(r.Context(), actorFrom(r), in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// handleRemoveAdjustment is DELETE /api/v1/wfm/adjustments/{id}.
func (s *Server) handleRemoveAdjustment(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = s.DB.Workforce().RemoveAdjustment(r.Context(), actorFrom(r), id)
	} else {
		err = hotline.Invalid("id", "调整编号应为数字")
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// forecastContent is the forecast page (话务预测).
type forecastContent struct {
	View   *sqldb.ForecastView
	Chart  string
	Table  statTable
	Names  map[wfm.DayType]string
	Target string
	Flash  string
	Error  string
}

func (s *Server) handleForecastPage(w http.ResponseWriter, r *http.Request) {
	s.show(w, r, http.StatusOK, "wfm/forecast", "话务预测", func(rf *ref) (any, error) {
		l := localeOf(r)
		days, need, err := forecastQuery(r.URL.Query())
		if err != nil {
			return nil, err
		}
		v, err := s.DB.Workforce().Forecast(r.Context(), actorFrom(r), days, need)
		if err != nil {
			return nil, err
		}
		c := &forecastContent{View: v, Names: wfm.DayTypeNames,
			Target: fmt.Sprintf("%.0f%% / %.0f s", need.ServiceLevel*100, need.TargetSeconds)}
		var names []string
		var actual, forecast []any
		for _, d := range v.History {
			names, actual, forecast = append(names, d.Date[5:]), append(actual, int64(d.Calls+0.5)), append(forecast, nil)
		}
		for _, d := range v.Days {
			names, actual, forecast = append(names, d.Date[5:]), append(actual, nil), append(forecast, int64(d.Calls+0.5))
			c.Table.Rows = append(c.Table.Rows, []any{d.Date, wfm.DayTypeNames[d.Type], int64(d.Calls + 0.5), int64(peakCalls(d) + 0.5), int64(d.Peak),
				int64(float64(d.Peak)/(1-need.Shrinkage) + 0.999)})
		}
		c.Chart = barChart(func(v string) string { return l.T(v) }, names, []chartSeries{{Name: "实际来电", Values: actual}, {Name: "预测来电", Values: forecast}}, false)
		c.Table.ID, c.Table.Title = "forecast", "逐日预测"
		c.Table.Columns = []string{"日期", "日类型", "预测来电", "高峰半小时来电", "高峰在线坐席", "高峰排班人数"}
		switch r.URL.Query().Get("done") {
		case "added":
			c.Flash = "已添加调整。"
		case "removed":
			c.Flash = "已删除调整。"
		}
		return c, nil
	})
}

// peakCalls is a day's busiest half hour.
func peakCalls(d sqldb.ForecastDay) float64 {
	m := 0.0
	for _, c := range d.Intervals {
		m = max(m, c)
	}
	return m
}

// handleAdjustmentForm and handleAdjustmentRemoveForm are the page's forms.
func (s *Server) handleAdjustmentForm(w http.ResponseWriter, r *http.Request) {
	factor, err := strconv.ParseFloat(r.PostFormValue("factor"), 64)
	if err != nil {
		s.errorPage(w, r, hotline.Invalid("factor", "调整系数应为数字"))
		return
	}
	if _, err := s.DB.Workforce().AddAdjustment(r.Context(), actorFrom(r), sqldb.ForecastAdjustment{From: r.PostFormValue("from"), To: r.PostFormValue("to"),
		Factor: factor, Note: r.PostFormValue("note")}); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/wfm/forecast?done=added", http.StatusSeeOther)
}

func (s *Server) handleAdjustmentRemoveForm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = s.DB.Workforce().RemoveAdjustment(r.Context(), actorFrom(r), id)
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/wfm/forecast?done=removed", http.StatusSeeOther)
}
