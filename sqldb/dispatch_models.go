package sqldb

import (
	"bytes"
	"context"
	"sync"

	"hotline/classify"
)

// modelCache keeps the dispatch models in use, loaded once per model id
// (a model is immutable once saved; switching another on changes the id).
type modelCache struct {
	mu     sync.Mutex
	models map[int64]*classify.Model
}

// ActiveDispatchModel returns the target's switched-on model, loaded once
// per server, or a nil model when none is on.
func (db *DB) ActiveDispatchModel(ctx context.Context, target string) (int64, *classify.Model, error) {
	id, err := db.ActiveDispatchModelID(ctx, target)
	if err != nil || id == 0 {
		return 0, nil, err
	}
	db.dispatchModels.mu.Lock()
	m := db.dispatchModels.models[id]
	db.dispatchModels.mu.Unlock()
	if m != nil {
		return id, m, nil
	}
	data, err := db.DispatchModelData(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	if m, err = classify.Load(bytes.NewReader(data)); err != nil {
		return 0, nil, err
	}
	db.dispatchModels.mu.Lock()
	if db.dispatchModels.models == nil {
		db.dispatchModels.models = map[int64]*classify.Model{}
	}
	db.dispatchModels.models[id] = m
	db.dispatchModels.mu.Unlock()
	return id, m, nil
}
