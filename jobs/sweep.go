// Package jobs runs the hotline's background loops. Every loop is safe to
// run in several instances against one database.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline/metrics"
	"hotline/sqldb"
)

// Sweeper marks warning and overdue tickets and raises supervision, every
// Interval, until its context ends.
type Sweeper struct {
	DB       *sqldb.DB
	Interval time.Duration
	Logger   *slog.Logger
	Metrics  *metrics.Metrics // optional
}

// Run sweeps once at once and then every Interval.
func (s *Sweeper) Run(ctx context.Context) {
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		start := s.DB.Now()
		res, err := s.DB.Sweep(ctx)
		if s.Metrics != nil {
			s.Metrics.JobRuns.WithLabelValues("sweep").Observe(s.DB.Now().Sub(start).Seconds())
		}
		if err != nil && ctx.Err() == nil {
			s.Logger.Error("sla sweep failed", "err", err)
		} else if res.Warned+res.Overdue > 0 {
			s.Logger.Info("sla sweep", "warned", res.Warned, "overdue", res.Overdue)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
