package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline/hotspot"
	"hotline/sqldb"
)

// EarlyWarner raises the early warnings (surges, new hotspots, hard
// issues) from the data every Interval. Safe on several instances: each
// warning's subject is recorded once.
type EarlyWarner struct {
	DB       *sqldb.DB
	Logger   *slog.Logger
	Interval time.Duration // default 5 min
	Hard     hotspot.HardRule
	Surge    hotspot.SurgeRule
}

// Run raises warnings at once and then every Interval until ctx ends.
func (w *EarlyWarner) Run(ctx context.Context) {
	every := w.Interval
	if every <= 0 {
		every = 5 * time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := w.DB.Stats().RaiseWarnings(ctx, w.Hard, w.Surge); err != nil && ctx.Err() == nil {
			w.Logger.Error("early warnings", "err", err)
		} else if n > 0 {
			w.Logger.Info("early warnings raised", "new", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
