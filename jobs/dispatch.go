package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline"
	"hotline/sqldb"
)

// retrainer is who trains on schedule, in the audit log.
var retrainer = hotline.Actor{Name: "定期训练", Role: hotline.RoleAdmin}

// DispatchRetrainer trains new dispatch models on a schedule: when an
// admin has set a period (sqldb.DB.DispatchRetrainDays), every target
// whose newest model is older than that gets a new one from the tickets
// concluded since. New models wait, with their evaluation, for an admin
// to switch them on.
type DispatchRetrainer struct {
	DB       *sqldb.DB
	Logger   *slog.Logger
	Interval time.Duration // how often to check; default an hour
}

// Run checks every Interval until ctx ends.
func (r *DispatchRetrainer) Run(ctx context.Context) {
	every := r.Interval
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := r.Check(ctx); err != nil && ctx.Err() == nil {
			r.Logger.Error("retrain dispatch models", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Check trains the models that are due and returns them.
func (r *DispatchRetrainer) Check(ctx context.Context) ([]*sqldb.DispatchModel, error) {
	days, err := r.DB.DispatchRetrainDays(ctx)
	if err != nil || days == 0 {
		return nil, err
	}
	// One server trains; the others find its models when they look next.
	release, ok, err := r.DB.TryLease(ctx, "dispatch-retrain", 30*time.Minute)
	if err != nil || !ok {
		return nil, err
	}
	defer release()
	models, err := r.DB.FindDispatchModels(ctx)
	if err != nil {
		return nil, err
	}
	newest := map[string]time.Time{}
	for _, m := range models {
		if m.CreatedAt.After(newest[m.Target]) {
			newest[m.Target] = m.CreatedAt
		}
	}
	var out []*sqldb.DispatchModel
	for _, target := range []string{sqldb.TargetUnit, sqldb.TargetCategory} {
		if r.DB.Now().Sub(newest[target]) < time.Duration(days)*24*time.Hour {
			continue
		}
		st, m, err := r.DB.TrainDispatchModel(ctx, retrainer, target)
		if err != nil {
			return out, err
		}
		r.Logger.Info("dispatch model retrained on schedule", "target", target, "outcome", st)
		if m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}
