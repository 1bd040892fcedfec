package quality

import "time"

// LiveTarget is the seats to monitor live every day (实时监控, at least 5).
const LiveTarget = 5

// Monitoring is one live monitoring of a seat (实时监控): who listened,
// to whom, the call then, when and how long, what was found.
type Monitoring struct {
	ID         int64      `json:"id"`
	ObserverID int64      `json:"observer_id"`
	Observer   string     `json:"observer"`
	AgentID    int64      `json:"agent_id"`
	Agent      string     `json:"agent"`
	CallID     string     `json:"call_id,omitempty"`
	StartedAt  time.Time  `json:"started_at"`
	EndedAt    *time.Time `json:"ended_at,omitempty"`
	Minutes    float64    `json:"minutes"`
	Findings   string     `json:"findings,omitempty"`
}

// LiveDay is a day's live monitoring: how many distinct seats were
// monitored (the figure, against LiveTarget), and each monitoring.
type LiveDay struct {
	Date     string        `json:"date"`
	Seats    int           `json:"seats"`
	Target   int           `json:"target"`
	Met      bool          `json:"met"`
	Sessions []*Monitoring `json:"items"`
}

// Finish counts the distinct seats.
func (d *LiveDay) Finish() {
	seen := map[int64]bool{}
	for _, m := range d.Sessions {
		seen[m.AgentID] = true
	}
	d.Seats, d.Target = len(seen), LiveTarget
	d.Met = d.Seats >= LiveTarget
}
