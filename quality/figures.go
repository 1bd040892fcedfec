package quality

// AgentFigures are one agent's (or, with no agent, the team's) inspection
// figures of a period: inspections scored, average score, passes, fatal
// items, objections and how many were upheld, and the tasks opened by
// full and by sampled inspection.
type AgentFigures struct {
	Agent      string  `json:"agent,omitempty"` // username
	Name       string  `json:"name,omitempty"`  // display name
	Scored     int     `json:"scored"`
	AvgScore   float64 `json:"avg_score"`
	Passed     int     `json:"passed"`
	PassRate   float64 `json:"pass_rate"`
	Fatal      int     `json:"fatal"`
	Objections int     `json:"objections"`
	Upheld     int     `json:"upheld"`
	Full       int     `json:"full_tasks"`
	Sampled    int     `json:"sampled_tasks"`
}

// Finish computes the averages from the sums (scoreSum over Scored).
func (f *AgentFigures) Finish(scoreSum int) {
	if f.Scored > 0 {
		f.AvgScore = float64(scoreSum) / float64(f.Scored)
		f.PassRate = float64(f.Passed) / float64(f.Scored)
	}
}

// LivePoint is one day's live monitoring figure.
type LivePoint struct {
	Date  string `json:"date"`
	Seats int    `json:"seats"`
}

// MonthPoint is one month of the trend.
type MonthPoint struct {
	Month    string  `json:"month"`
	Scored   int     `json:"scored"`
	AvgScore float64 `json:"avg_score"`
	PassRate float64 `json:"pass_rate"`
}

// Figures are a month's quality figures (质检统计), as
// GET /api/v1/quality/figures returns them: defined here once, for the
// pages, the reports and the assessment.
type Figures struct {
	Month       string         `json:"month"`
	Team        AgentFigures   `json:"team"`
	Agents      []AgentFigures `json:"agents"`
	Unsatisfied Coverage       `json:"unsatisfied_coverage"` // full inspection of 不满意 tickets (target 100%)
	// SampledShare is the sampled inspections opened over the month's
	// answered calls (the rule's default is 5%).
	SampledShare  float64      `json:"sampled_share"`
	AnsweredCalls int          `json:"answered_calls"`
	Live          []LivePoint  `json:"live_monitoring"`
	LiveDaysMet   int          `json:"live_days_met"` // days with at least LiveTarget seats
	Rectification RectFigures  `json:"rectification"`
	Trend         []MonthPoint `json:"trend"` // the six months to this one
}
