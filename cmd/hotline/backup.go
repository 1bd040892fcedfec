package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hotline/sqldb"
)

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f dbFlags
	fs := newFlagSet("backup", "hotline backup OUT：服务运行中对 SQLite 做一致性快照到 OUT（不覆盖已有文件），工单附件复制到 OUT.attachments；PostgreSQL 打印 pg_dump 备份步骤。主密钥不在备份里，请另行保管。", stderr)
	f.register(fs)
	if err := f.parse(args); err != nil {
		return err
	}
	if strings.HasPrefix(f.dsnOrFile(), "postgres") {
		fmt.Fprintf(stdout, sqldb.PostgresBackupProcedure+"\n", f.dsnOrFile())
		return nil
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("请指定备份文件路径")
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, sqldb.SystemActor, fs.Arg(0)); err != nil {
		return describe(err)
	}
	st, _ := os.Stat(fs.Arg(0))
	fmt.Fprintf(stdout, "已备份到 %s（%d 字节，用时 %s）\n", fs.Arg(0), st.Size(), time.Since(start).Round(time.Millisecond))
	// The attachments after the snapshot: a file is written before the row
	// that names it is committed, and never changed, so every file the
	// snapshot names is there (and a few newer ones may be too).
	if f.inObjectStore() {
		fmt.Fprintln(stdout, "附件和录音在对象存储中（加密存放），不随本备份复制：请用对象存储自身的版本或复制策略备份该桶")
		return nil
	}
	n, err := copyFiles(f.attachmentDir(), fs.Arg(0)+".attachments")
	if err != nil {
		return fmt.Errorf("备份附件: %w", err)
	}
	fmt.Fprintf(stdout, "附件 %d 个已复制到 %s（加密存放）\n", n, fs.Arg(0)+".attachments")
	return nil
}

// copyFiles copies the regular files under src to dst (0700 directories,
// 0600 files), keeping their paths; a missing src copies nothing.
func copyFiles(src, dst string) (int, error) {
	n := 0
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == src {
			return filepath.SkipAll
		} else if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".put-") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		return os.WriteFile(to, b, 0o600)
	})
	return n, err
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f dbFlags
	fs := newFlagSet("restore", "hotline restore IN：用备份文件替换数据目录中的 SQLite 数据库（先停止服务；原库改名保留为 .bak-时间）。", stderr)
	f.register(fs)
	if err := f.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("请指定备份文件")
	}
	target := f.dsnOrFile()
	if strings.HasPrefix(target, "postgres") {
		return fmt.Errorf("PostgreSQL 请用 pg_restore 恢复（见 hotline backup 的说明）")
	}
	in := fs.Arg(0)
	if err := checkSQLite(ctx, in); err != nil {
		return fmt.Errorf("备份文件 %s 不可用：%w", in, err)
	}
	if _, err := os.Stat(target); err == nil {
		if err := checkIdle(ctx, target); err != nil {
			return err
		}
		aside := fmt.Sprintf("%s.bak-%s", target, time.Now().Format("20060102-150405"))
		if err := os.Rename(target, aside); err != nil {
			return err
		}
		os.Remove(target + "-wal")
		os.Remove(target + "-shm")
		fmt.Fprintf(stdout, "原数据库已改名为 %s\n", aside)
	}
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	if err := os.WriteFile(target, b, 0o600); err != nil {
		return err
	}
	if st, err := os.Stat(in + ".attachments"); err == nil && st.IsDir() && !f.inObjectStore() {
		n, err := copyFiles(in+".attachments", f.attachmentDir())
		if err != nil {
			return fmt.Errorf("恢复附件: %w", err)
		}
		fmt.Fprintf(stdout, "附件 %d 个已恢复到 %s\n", n, f.attachmentDir())
	}
	db, err := f.open(ctx, stderr, false) // proves the key opens it, and migrates an older backup
	if err != nil {
		return fmt.Errorf("恢复后的数据库无法打开（主密钥是否与备份时相同？）：%w", err)
	}
	defer db.Close()
	fmt.Fprintf(stdout, "已从 %s 恢复到 %s\n", in, target)
	return nil
}

// checkSQLite runs SQLite's integrity check on a file.
func checkSQLite(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	} else if res != "ok" {
		return fmt.Errorf("integrity_check: %s", res)
	}
	return nil
}

// checkIdle refuses to replace a database a running server holds.
func checkIdle(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `BEGIN EXCLUSIVE; ROLLBACK`); err != nil {
		return fmt.Errorf("数据库 %s 正在使用，请先停止 hotline 服务：%w", path, err)
	}
	return nil
}
