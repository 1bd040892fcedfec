// Command hotline runs the 12345 government service hotline platform.
//
//	hotline serve [--addr 127.0.0.1:8080] [--data DIR] [--db DSN] [--demo]
//	hotline migrate [--data DIR] [--db DSN]
//	hotline user add --username NAME --role ROLE [--unit CODE] [--password P]
//	hotline user list|disable|enable|set-role|reset-password USERNAME
//	hotline apikey add --name NAME --scope cti | list | revoke ID
//	hotline calls import FILE.csv
//	hotline callsim --base URL --key KEY --day YYYY-MM-DD [--calls N] [--speed X]
//	hotline import categories|units FILE
//	hotline keys init|rotate
//	hotline audit verify
//	hotline backup OUT | hotline restore IN
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"hotline"
	"hotline/files"
	"hotline/keyring"
	"hotline/sqldb"
	"hotline/zhsearch"
)

const usage = `hotline — 12345 政务服务便民热线平台

用法:
  hotline serve    [--addr 127.0.0.1:8080] [--data DIR] [--db DSN] [--demo]   启动服务
  hotline migrate  [--data DIR] [--db DSN]                                   仅执行数据库迁移
  hotline user add --username NAME --role ROLE [--unit CODE] [--password P] 添加用户
  hotline user list|disable|enable|set-role|reset-password USERNAME …       管理用户（停用、改角色、重置密码）
  hotline apikey add --name NAME --scope cti | list | revoke ID             接口密钥（话务平台推送事件用）
  hotline calls import FILE.csv                                             导入通话记录（CDR，可重复导入）
  hotline callsim --base URL --key KEY --day YYYY-MM-DD [--calls N]         模拟一天的来电，推送到话务事件接口
  hotline import categories FILE                                            导入诉求分类（CSV：一级,二级,三级）
  hotline import units FILE                                                 导入承办单位（CSV：code,name,kind,parent_code）
  hotline keys init                                                         生成主密钥文件（或使用环境变量 HOTLINE_MASTER_KEY）
  hotline keys rotate                                                       轮换数据密钥并重新加密诉求人信息（不停机）
  hotline audit verify                                                      校验审计日志哈希链
  hotline backup OUT                                                        在线备份（SQLite）；PostgreSQL 打印 pg_dump 步骤
  hotline restore IN                                                        从备份恢复（SQLite，需先停止服务）
  hotline dispatch train|eval|predict                                       派单分类模型：训练、评估、预测
  hotline kb import PATH [--publish]                                        导入知识库（Markdown 文件夹或 xlsx）
  hotline stats rebuild|check|surges                                        重算 / 核对每日统计；回看激增预警
  hotline wfm erlang --calls N --aht-seconds S [--interval-minutes 30 …]     人力测算（Erlang C / 有耐心时长时 Erlang A）
  hotline kb export --out FILE.xlsx                                         导出知识库
  hotline config check FILE                                                 检查配置文件（TOML）

数据库: 默认 SQLite 文件 DATA_DIR/hotline.db；--db postgres://… 或环境变量 HOTLINE_DB 使用 PostgreSQL。
配置: 默认值 → 配置文件（--config 或 HOTLINE_CONFIG，TOML，见 docs/hotline.example.toml）→ 环境变量 HOTLINE_<选项> → 命令行选项。
每个子命令都支持 --help。
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // --help: the usage is printed, and asking for it is no failure
		}
		fmt.Fprintln(os.Stderr, "hotline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "migrate":
		return runMigrate(ctx, args[1:], stdout, stderr)
	case "user":
		return runUser(ctx, args[1:], stdout, stderr)
	case "apikey":
		return runAPIKey(ctx, args[1:], stdout, stderr)
	case "calls":
		return runCalls(ctx, args[1:], stdout, stderr)
	case "callsim":
		return runCallsim(ctx, args[1:], stdout, stderr)
	case "import":
		if len(args) < 2 || (args[1] != "categories" && args[1] != "units") {
			return fmt.Errorf("用法: hotline import categories|units FILE")
		}
		return runImport(ctx, args[1], args[2:], stdout, stderr)
	case "keys":
		return runKeys(ctx, args[1:], stdout, stderr)
	case "audit":
		return runAudit(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		return runRestore(ctx, args[1:], stdout, stderr)
	case "dispatch":
		return runDispatch(ctx, args[1:], stdin, stdout, stderr)
	case "kb":
		return runKB(ctx, args[1:], stdout, stderr)
	case "config":
		return runConfig(args[1:], stdout, stderr)
	case "stats":
		return runStats(ctx, args[1:], stdout, stderr)
	case "wfm":
		return runWFM(args[1:], stdout, stderr)
	}
	return fmt.Errorf("未知子命令 %q\n\n%s", args[0], usage)
}

// dbFlags are the storage and key flags every subcommand shares, and the
// configuration file that may set them and the subcommand's other flags.
type dbFlags struct {
	data, dsn, keyFile, cipher, auditHash string
	config                                string
	attachments                           string // the attachment store's directory
	fs                                    *flag.FlagSet
	configured                            bool
}

func (f *dbFlags) register(fs *flag.FlagSet) {
	f.fs = fs
	fs.StringVar(&f.config, "config", "", "配置文件（TOML，见 docs/hotline.example.toml）；也可用环境变量 HOTLINE_CONFIG")
	fs.StringVar(&f.data, "data", "./data", "数据目录（SQLite 文件、密钥文件）")
	fs.StringVar(&f.dsn, "db", "", "数据库：postgres://… 或 SQLite 文件路径（默认 DATA_DIR/hotline.db）")
	fs.StringVar(&f.keyFile, "key-file", "", "主密钥文件（默认 DATA_DIR/master.key；环境变量 HOTLINE_MASTER_KEY 优先）")
	fs.StringVar(&f.cipher, "cipher", "aes-256-gcm", "个人信息加密算法：aes-256-gcm 或 sm4-gcm（国密）")
	fs.StringVar(&f.auditHash, "audit-hash", "sha256", "审计日志哈希链算法：sha256 或 sm3（国密）")
	fs.StringVar(&f.attachments, "attachments", "", "附件和录音的存放处（加密存放）：目录（默认 DATA_DIR/attachments），"+
		"或 S3 兼容对象存储 s3://访问密钥:私钥@主机:端口/桶[/前缀][?tls=false]（密钥也可用 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY）")
}

// inObjectStore reports whether attachments are kept in S3-compatible
// object storage rather than a directory.
func (f *dbFlags) inObjectStore() bool { return strings.HasPrefix(f.attachments, "s3://") }

// fileStore opens where attachments and recordings are kept.
func (f *dbFlags) fileStore(ctx context.Context) (files.Store, error) {
	if f.inObjectStore() {
		return files.OpenS3(ctx, f.attachments)
	}
	return files.Dir{Root: f.attachmentDir()}, nil
}

// attachmentDir is where ticket attachments are kept (a directory).
func (f *dbFlags) attachmentDir() string {
	if f.attachments != "" {
		return f.attachments
	}
	return filepath.Join(f.data, "attachments")
}

// parse parses the subcommand's arguments and completes them from the
// environment and the configuration file.
func (f *dbFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	return f.configure()
}

// configure completes the parsed flags from the environment and the
// configuration file (configure in config.go); once.
func (f *dbFlags) configure() error {
	if f.configured {
		return nil
	}
	f.configured = true
	return configure(f.fs)
}

func (f *dbFlags) dsnOrFile() string {
	if f.dsn != "" {
		return f.dsn
	}
	return filepath.Join(f.data, "hotline.db")
}

// restrictData makes the data directory the owner's alone (0700): it holds
// the database and perhaps the key file.
func (f *dbFlags) restrictData() error {
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return err
	}
	return os.Chmod(f.data, 0o700)
}

// open opens the database and seeds the calendar and SLA policies if empty.
// With demo, a missing master key file is generated.
func (f *dbFlags) open(ctx context.Context, stderr io.Writer, demo bool) (*sqldb.DB, error) {
	if err := f.configure(); err != nil {
		return nil, err
	}
	if f.dsn == "" {
		if err := f.restrictData(); err != nil {
			return nil, err
		}
	}
	key, err := f.masterKey(stderr, demo)
	if err != nil {
		return nil, err
	}
	db, err := sqldb.Open(ctx, f.dsnOrFile(), sqldb.Config{MasterKey: key, Cipher: keyring.Algorithm(f.cipher), AuditHash: f.auditHash,
		Dictionary: zhsearch.NewDictionary()}) // one per process: a command opens one database
	if err != nil {
		return nil, err
	}
	if err := db.SeedCalendar(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.SeedSLAPolicies(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func newFlagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\n选项:\n", summary)
		fs.PrintDefaults()
	}
	return fs
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f dbFlags
	fs := newFlagSet("migrate", "hotline migrate [--data DIR] [--db DSN]：执行数据库迁移并写入默认日历和时限规则", stderr)
	f.register(fs)
	if err := f.parse(args); err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "数据库（%s）已是最新结构\n", db.Dialect())
	return nil
}

func runUserAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f dbFlags
	fs := newFlagSet("user add", "hotline user add：添加用户", stderr)
	f.register(fs)
	username := fs.String("username", "", "用户名（必填）")
	name := fs.String("name", "", "显示名")
	role := fs.String("role", "", "角色：admin, call_agent, dispatcher, inspector, callback_agent, team_lead, project_manager, ops_supervisor, analyst, supervisor, unit")
	unit := fs.String("unit", "", "所属单位编码（role=unit 时必填）")
	password := fs.String("password", os.Getenv("HOTLINE_PASSWORD"), "密码（至少8位；也可用环境变量 HOTLINE_PASSWORD）")
	if err := f.parse(args); err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	u := &hotline.User{Username: *username, DisplayName: *name, Role: hotline.Role(*role)}
	if *unit != "" {
		un, err := db.FindUnitByCode(ctx, *unit)
		if err != nil {
			return err
		}
		u.UnitID = un.ID
	}
	if err := db.CreateUser(ctx, sqldb.SystemActor, u, *password); err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "已添加用户 %s（%s，id %d）\n", u.Username, u.Role.Label(), u.ID)
	return nil
}

// describe turns a domain error into a one-line CLI message.
func describe(err error) error {
	if f := hotline.ErrorField(err); f != "" {
		return fmt.Errorf("%s：%s", f, hotline.ErrorMessage(err))
	}
	if hotline.ErrorCode(err) != hotline.EInternal {
		return errors.New(hotline.ErrorMessage(err))
	}
	return err
}
