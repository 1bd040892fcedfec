package jobs

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"time"

	"hotline"
	"hotline/classify"
	"hotline/sqldb"
)

// MinTrainingTickets is the fewest concluded tickets a model is trained on.
const MinTrainingTickets = 50

// TrainDispatchModel trains a dispatch model for target (unit or category)
// on the concluded tickets: evaluated on every fifth ticket held out, then
// trained on all, and saved — not switched on: an admin does that after
// reading the evaluation. It returns what happened, for the admin page,
// and the model (nil when there were too few tickets).
func TrainDispatchModel(ctx context.Context, db *sqldb.DB, a hotline.Actor, target string) (string, *sqldb.DispatchModel, error) {
	texts, labels, err := db.DispatchTrainingSet(ctx, target, 100000)
	if err != nil {
		return "", nil, err
	}
	if len(texts) < MinTrainingTickets {
		return fmt.Sprintf("已办结工单只有 %d 张，至少需要 %d 张", len(texts), MinTrainingTickets), nil, nil
	}
	var trainX, trainY, testX, testY []string
	for i := range texts {
		if i%5 == 0 {
			testX, testY = append(testX, texts[i]), append(testY, labels[i])
		} else {
			trainX, trainY = append(trainX, texts[i]), append(trainY, labels[i])
		}
	}
	o := classify.DefaultOptions()
	held, err := classify.Train(trainX, trainY, o)
	if err != nil {
		return "", nil, err
	}
	var top []classify.Scored
	for _, x := range testX {
		top = append(top, held.Predict(x)[0])
	}
	rep := classify.EvaluateScored(testY, top)
	full, err := classify.Train(texts, labels, o)
	if err != nil {
		return "", nil, err
	}
	var data, report bytes.Buffer
	if err := full.Save(&data); err != nil {
		return "", nil, err
	}
	rep.Write(&report)
	m := &sqldb.DispatchModel{Target: target, TrainedOn: len(texts), Accuracy: rep.Accuracy, MacroF1: rep.MacroF1,
		Report: report.String(), Data: data.Bytes()}
	if err := db.SaveDispatchModel(ctx, a, m); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("完成：第 %d 号模型", m.ID), m, nil
}

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
		st, m, err := TrainDispatchModel(ctx, r.DB, retrainer, target)
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
