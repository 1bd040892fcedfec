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
	"hotline/keyring"
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
	ctype := audioType(data)
	if ctype == "" {
		return hotline.Invalid("file", "不是音频文件（%s）：请上传 WAV、MP3 或 OGG 录音", http.DetectContentType(data))
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
	if _, err := tx.ExecContext(ctx, `UPDATE calls SET recording_key = $1, recording_type = $2, recording_key_id = $3 WHERE id = $4`,
		key, ctype, keyring.BlobKeyID(sealed), id); err != nil {
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

// OpenRecording returns a call's (by the platform's id) recording — the
// one uploaded to us, or else the one the platform keeps, by reference
// (DB.Recordings) — to one who may listen (hotline.Actor.CanListen;
// anyone else: not found), and writes the playback to the audit log
// unless audit is false (the later parts of one playback).
func (db *DB) OpenRecording(ctx context.Context, actor hotline.Actor, callRef string, audit bool) (string, []byte, error) {
	c := &hotline.Call{}
	var key, ctype string
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT id, call_id, COALESCE(agent_id, 0), recording_key, recording_type, recording FROM calls WHERE call_id = $1`, callRef).
		Scan(&id, &c.CallID, &c.AgentID, &key, &ctype, &c.Recording)
	missing := hotline.Errorf(hotline.ENotFound, "录音不存在")
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (key == "" && !db.Recordings.Allows(c.Recording) || !actor.CanListen(c))) {
		return "", nil, missing
	} else if err != nil {
		return "", nil, err
	}
	var data []byte
	if key != "" {
		sealed, err := db.Files.Get(ctx, key)
		if err != nil {
			return "", nil, err
		}
		if data, err = db.keys.DecryptBytes(recordingField, sealed); err != nil {
			return "", nil, err
		}
	} else {
		data, err = db.Recordings.Open(ctx, c.Recording, MaxRecordingBytes)
		if errors.Is(err, files.ErrNotFound) {
			return "", nil, hotline.Errorf(hotline.ENotFound, "话务平台上找不到这段录音")
		} else if err != nil {
			return "", nil, hotline.Errorf(hotline.EInternal, "取不到话务平台的录音：%v", err)
		}
		if ctype = audioType(data); ctype == "" {
			return "", nil, hotline.Errorf(hotline.ENotFound, "话务平台给出的录音不是音频文件")
		}
	}
	if audit {
		if err := db.audit(ctx, actor, "call.listen", fmt.Sprintf("call:%d %s", id, c.CallID), ""); err != nil {
			return "", nil, err
		}
	}
	return ctype, data, nil
}

// audioType is the sniffed type of audio bytes, "" when they are not
// audio.
func audioType(data []byte) string {
	ctype := http.DetectContentType(data)
	if i := strings.IndexByte(ctype, ';'); i >= 0 {
		ctype = ctype[:i]
	}
	if !strings.HasPrefix(ctype, "audio/") {
		return ""
	}
	return ctype
}
