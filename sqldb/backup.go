package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"hotline"
)

// PostgresBackupProcedure is what `hotline backup` prints for PostgreSQL,
// whose own tools make consistent online backups.
const PostgresBackupProcedure = `PostgreSQL 数据库请用 PostgreSQL 自带工具备份（在线、一致）：
  pg_dump --format=custom --file=hotline-$(date +%%Y%%m%%d).dump "%s"
恢复到一个新的空库：
  createdb hotline_restored && pg_restore --dbname=hotline_restored hotline-YYYYMMDD.dump
生产环境建议配合 WAL 归档（archive_command）做时间点恢复。
主密钥（HOTLINE_MASTER_KEY 或密钥文件）不在数据库里，请另行安全保管：没有它，备份中的个人信息无法解密。`

// Backup writes a consistent snapshot of a SQLite database to out while it
// keeps serving (VACUUM INTO reads one transaction's view). out must not
// exist. For PostgreSQL it returns an error carrying the pg_dump procedure.
func (db *DB) Backup(ctx context.Context, actor hotline.Actor, out string) error {
	if !db.dialect.fileBackup() {
		return hotline.Errorf(hotline.EInvalid, "PostgreSQL 请使用 pg_dump 备份")
	}
	if _, err := os.Stat(out); err == nil {
		return hotline.Invalid("out", "备份文件 %s 已存在，不会覆盖", out)
	}
	// The snapshot holds personal data (sealed) and the audit log: readable
	// by the owner only. VACUUM INTO accepts an empty file.
	fh, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return hotline.Invalid("out", "无法创建备份文件 %s", out)
	}
	fh.Close()
	// A connection of its own: the readers are query-only, and the writer
	// must stay free for the service.
	conn, err := sql.Open("sqlite", db.sqliteDSN)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, out); err != nil {
		os.Remove(out)
		return fmt.Errorf("backup to %s: %w", out, err)
	}
	return db.audit(ctx, actor, "backup.create", "file:"+out, "")
}
