package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"hotline"
	"hotline/files"
)

// MaxRecordingBytes bounds an uploaded recording (about an hour of 8 kHz
// 16-bit WAV).
const MaxRecordingBytes = 64 << 20

const recordingField = "call_recording"

// StoreRecording keeps an uploaded recording of a call (by the platform's
// call id): audio only, sniffed from the bytes, sealed under the data key
// in the file store before the call row names it.
func (db *DB) StoreRecording(ctx context.Context, callRef string, data []byte) error {
	if db.Files == nil {
		return hotline.Errorf(hotline.EInternal, "未配置附件存储")
	}
	if len(data) == 0 {
		return hotline.Invalid("file", "录音是空的")
	} else if len(data) > MaxRecordingBytes {
		return hotline.Invalid("file", "录音不能超过 %d MB", MaxRecordingBytes>>20)
	}
	ctype := http.DetectContentType(data)
	if i := strings.IndexByte(ctype, ';'); i >= 0 {
		ctype = ctype[:i]
	}
	if !strings.HasPrefix(ctype, "audio/") {
		return hotline.Invalid("file", "不是音频文件（%s）：请上传 WAV、MP3 或 OGG 录音", ctype)
	}
	var id int64
	var old string
	err := db.read.QueryRowContext(ctx, `SELECT id, recording_key FROM calls WHERE call_id = $1`, strings.TrimSpace(callRef)).Scan(&id, &old)
	if errors.Is(err, sql.ErrNoRows) {
		return hotline.Errorf(hotline.ENotFound, "没有通话编号为 %s 的来电", callRef)
	} else if err != nil {
		return err
	}
	sealed, err := db.keys.EncryptBytes(recordingField, data)
	if err != nil {
		return err
	}
	key := files.NewKey(fmt.Sprintf("r/%d", id))
	if err := db.Files.Put(ctx, key, sealed); err != nil {
		return err
	}
	tx, err := db.begin(ctx)
	if err != nil {
		db.Files.Delete(ctx, key)
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE calls SET recording_key = $1, recording_type = $2 WHERE id = $3`, key, ctype, id); err != nil {
		db.Files.Delete(ctx, key)
		return err
	}
	if err := tx.Commit(); err != nil {
		db.Files.Delete(ctx, key)
		return err
	}
	if old != "" {
		db.Files.Delete(ctx, old) // replaced
	}
	return nil
}

// OpenRecording returns a call's (by the platform's id) uploaded recording to one who may listen
// (hotline.Actor.CanListen; anyone else: not found), and writes the
// playback to the audit log unless audit is false (the later parts of one
// playback).
func (db *DB) OpenRecording(ctx context.Context, actor hotline.Actor, callRef string, audit bool) (string, []byte, error) {
	c := &hotline.Call{}
	var key, ctype string
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id, call_id, COALESCE(agent_id, 0), recording_key, recording_type FROM calls WHERE call_id = $1`, callRef).
		Scan(&id, &c.CallID, &c.AgentID, &key, &ctype)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (key == "" || !actor.CanListen(c))) {
		return "", nil, hotline.Errorf(hotline.ENotFound, "录音不存在")
	} else if err != nil {
		return "", nil, err
	}
	if audit {
		if err := db.audit(ctx, actor, "call.listen", fmt.Sprintf("call:%d %s", id, c.CallID), ""); err != nil {
			return "", nil, err
		}
	}
	sealed, err := db.Files.Get(ctx, key)
	if err != nil {
		return "", nil, err
	}
	data, err := db.keys.DecryptBytes(recordingField, sealed)
	return ctype, data, err
}
