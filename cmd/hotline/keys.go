package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hotline/keyring"
	"hotline/sqldb"
)

// masterKey finds the master key: HOTLINE_MASTER_KEY, else the key file.
// With generate (demo mode) a missing key file is created, with a warning.
func (f *dbFlags) masterKey(stderr io.Writer, generate bool) ([]byte, error) {
	if v := os.Getenv("HOTLINE_MASTER_KEY"); v != "" {
		return keyring.ParseMasterKey(v)
	}
	path := f.keyFilePath()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && generate {
		if err := writeKeyFile(path); err != nil {
			return nil, err
		}
		fmt.Fprintf(stderr, "警告：已在 %s 生成演示用主密钥。生产环境请用 HOTLINE_MASTER_KEY 提供主密钥，并与数据分开保管。\n", path)
		b, err = os.ReadFile(path)
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("没有主密钥：请设置 HOTLINE_MASTER_KEY，或先运行 `hotline keys init --data %s` 生成密钥文件 %s", f.data, path)
	} else if err != nil {
		return nil, err
	}
	return keyring.ParseMasterKey(string(b))
}

// keyInsideData reports whether the master key comes from a file inside
// the data directory.
func (f *dbFlags) keyInsideData() bool {
	if os.Getenv("HOTLINE_MASTER_KEY") != "" {
		return false
	}
	key, err1 := filepath.Abs(f.keyFilePath())
	data, err2 := filepath.Abs(f.data)
	rel, err3 := filepath.Rel(data, key)
	return err1 == nil && err2 == nil && err3 == nil && !strings.HasPrefix(rel, "..")
}

func (f *dbFlags) keyFilePath() string {
	if f.keyFile != "" {
		return f.keyFile
	}
	return filepath.Join(f.data, "master.key")
}

// writeKeyFile creates a new key file readable by the owner only; it never
// overwrites one.
func writeKeyFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := fh.WriteString(keyring.GenerateMasterKey() + "\n"); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "init" && args[0] != "rotate") {
		return fmt.Errorf("用法: hotline keys init|rotate [--data DIR]")
	}
	var f dbFlags
	summary := map[string]string{
		"init":   "hotline keys init：在数据目录生成主密钥文件 master.key（权限 0600，已存在则不覆盖）。生产环境也可不用文件，改用环境变量 HOTLINE_MASTER_KEY。",
		"rotate": "hotline keys rotate：生成新的数据密钥并分批重新加密全部诉求人信息，服务无需停止。",
	}[args[0]]
	fs := newFlagSet("keys "+args[0], summary, stderr)
	f.register(fs)
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if args[0] == "init" {
		path := f.keyFilePath()
		if err := writeKeyFile(path); errors.Is(err, os.ErrExist) {
			return fmt.Errorf("密钥文件 %s 已存在，未覆盖", path)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已生成主密钥文件 %s。请备份到与数据库分开的安全位置：丢失它，加密的个人信息将无法恢复。\n", path)
		return nil
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Files, err = f.fileStore(ctx); err != nil { // attachments and recordings are sealed again too
		return err
	}
	p, err := db.RotateDataKey(ctx, sqldb.SystemActor, func(p sqldb.RotationProgress) {
		fmt.Fprintf(stdout, "\r已重新加密 %d 张工单，剩余 %d", p.Done, p.Remaining)
	})
	fmt.Fprintln(stdout)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "数据密钥已轮换为 #%d：%d 张工单、%d 个附件、%d 条话务记录、%d 段录音、%d 份人员档案已重新加密。\n", p.KeyID, p.Done, p.Attachments, p.Calls, p.Recordings, p.Staff)
	return nil
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("用法: hotline audit verify [--data DIR]")
	}
	var f dbFlags
	fs := newFlagSet("audit verify", "hotline audit verify：重新计算审计日志的哈希链；任一记录被修改或删除则以非零状态退出，并指出第一条被破坏的记录。", stderr)
	f.register(fs)
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if rep.Broken != "" {
		return fmt.Errorf("审计日志校验失败：%s", rep.Broken)
	}
	fmt.Fprintf(stdout, "审计日志完整：%d 条记录。各链末端哈希（可另行留存作为锚点）：\n  %s\n", rep.Entries, strings.Join(rep.Heads, "\n  "))
	return nil
}
