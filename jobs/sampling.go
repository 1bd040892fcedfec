package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline"
	"hotline/quality"
	"hotline/sqldb"
)

// WeeklySampler is the schedule's draw (抽样质检): on Monday, for the
// week before (China time), Share of each agent's answered calls
// (quality.DefaultShare unless set), recorded as the schedule's; one
// server draws, once.
type WeeklySampler struct {
	DB       *sqldb.DB
	Logger   *slog.Logger
	Share    float64
	Interval time.Duration // how often to check; default an hour
}

// sampler is who draws on schedule, in the audit log.
var sampler = hotline.Actor{Name: "每周抽样", Role: hotline.RoleInspector}

// Run checks every Interval until ctx ends.
func (s *WeeklySampler) Run(ctx context.Context) {
	every := s.Interval
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Check(ctx); err != nil && ctx.Err() == nil {
			s.Logger.Error("weekly inspection sample", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Check draws last week's sample unless it is drawn, and returns it.
func (s *WeeklySampler) Check(ctx context.Context) (*sqldb.Sample, error) {
	from, to := quality.LastWeek(s.DB.Now())
	q := s.DB.Quality()
	if done, err := q.WeeklyDrawn(ctx, from, to); err != nil || done {
		return nil, err
	}
	release, ok, err := s.DB.TryLease(ctx, "quality-weekly-sample", 10*time.Minute)
	if err != nil || !ok {
		return nil, err
	}
	defer release()
	if done, err := q.WeeklyDrawn(ctx, from, to); err != nil || done {
		return nil, err
	}
	share := s.Share
	if share == 0 {
		share = quality.DefaultShare
	}
	sample, err := q.DrawSample(ctx, sampler, sqldb.SampleRequest{Target: quality.TargetCall, From: from, To: to, Share: share})
	if err != nil {
		return nil, err
	}
	s.Logger.Info("weekly inspection sample drawn", "week", from.Format("2006-01-02"), "calls", sample.Candidates, "tasks", sample.Drawn)
	return sample, nil
}
