package sqldb

import (
	"bytes"
	"context"
	"fmt"

	"hotline"
	"hotline/classify"
)

// MinTrainingTickets is the fewest concluded tickets a model is trained on.
const MinTrainingTickets = 50

// TrainDispatchModel trains a dispatch model for target (unit or category)
// on the concluded tickets: evaluated on every fifth ticket held out, then
// trained on all, and saved — not switched on: an admin does that after
// reading the evaluation. It returns what happened, for the admin page,
// and the model (nil when there were too few tickets).
func (db *DB) TrainDispatchModel(ctx context.Context, a hotline.Actor, target string) (string, *DispatchModel, error) {
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
	m := &DispatchModel{Target: target, TrainedOn: len(texts), Accuracy: rep.Accuracy, MacroF1: rep.MacroF1,
		Report: report.String(), Data: data.Bytes()}
	if err := db.SaveDispatchModel(ctx, a, m); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("完成：第 %d 号模型", m.ID), m, nil
}
