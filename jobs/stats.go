package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline/sqldb"
)

// StatsRefresher recounts the days whose tickets or calls changed, so that the
// statistics pages seldom have to before they read.
type StatsRefresher struct {
	DB       *sqldb.DB
	Logger   *slog.Logger
	Interval time.Duration // default 30 s
}

// Run refreshes every Interval until ctx ends.
func (s *StatsRefresher) Run(ctx context.Context) {
	every := s.Interval
	if every <= 0 {
		every = 30 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.DB.Stats().Refresh(ctx); err != nil && ctx.Err() == nil {
			s.Logger.Error("statistics refresh", "err", err)
		}
		if _, err := s.DB.Stats().RefreshCalls(ctx); err != nil && ctx.Err() == nil {
			s.Logger.Error("call statistics refresh", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
