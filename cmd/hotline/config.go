package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Configuration comes in four layers, each overriding the one before:
// the flags' defaults → a TOML file (--config FILE or HOTLINE_CONFIG) →
// the environment → the command line. One name serves all three: the flag
// --lookup-alert-window is the file's key lookup_alert_window (or
// alert_window in a [lookup] table) and the variable
// HOTLINE_LOOKUP_ALERT_WINDOW. docs/hotline.example.toml lists every key.
// Secrets stay out of files and flags' defaults: the master key comes
// from HOTLINE_MASTER_KEY or a key file, passwords from the environment.

// notConfigurable are flags that only the command line sets.
var notConfigurable = map[string]bool{"config": true, "demo": true, "help": true, "password": true}

// envName is a flag's environment variable: HOTLINE_KEY_FILE for key-file.
func envName(flagName string) string {
	return "HOTLINE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// configure completes a parsed flag set: every flag not given on the
// command line takes its value from the environment, else from the
// configuration file, else keeps its default. A bad value is an error
// naming the key and where it came from; so is a key no setting has.
func configure(fs *flag.FlagSet) error {
	path := ""
	if f := fs.Lookup("config"); f != nil {
		path = f.Value.String()
	}
	if path == "" {
		path = os.Getenv("HOTLINE_CONFIG")
	}
	file := map[string]string{}
	if path != "" {
		var err error
		if file, err = readConfig(path); err != nil {
			return err
		}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] || notConfigurable[f.Name] {
			return
		}
		key := strings.ReplaceAll(f.Name, "-", "_")
		if v := os.Getenv(envName(f.Name)); v != "" {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("环境变量 %s：%v", envName(f.Name), e)
			}
		} else if v, ok := file[key]; ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("配置文件 %s 的 %s：%v", path, key, e)
			}
		}
	})
	return err
}

// readConfig reads a TOML file into flat keys (a [lookup] table's
// per_minute is lookup_per_minute) and refuses a key no setting has.
func readConfig(path string) (map[string]string, error) {
	var raw map[string]any
	if _, err := toml.DecodeFile(path, &raw); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("配置文件 %s 第 %d 行：%s", path, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("配置文件 %s：%w", path, err)
	}
	known := map[string]bool{}
	fs, _ := newServeFlags(io.Discard)
	fs.VisitAll(func(f *flag.Flag) {
		if !notConfigurable[f.Name] {
			known[strings.ReplaceAll(f.Name, "-", "_")] = true
		}
	})
	out := map[string]string{}
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		for k, v := range m {
			key := prefix + k
			switch x := v.(type) {
			case map[string]any:
				if err := walk(key+"_", x); err != nil {
					return err
				}
				continue
			case string:
				out[key] = x
			case int64:
				out[key] = strconv.FormatInt(x, 10)
			case float64:
				out[key] = strconv.FormatFloat(x, 'g', -1, 64)
			case bool:
				out[key] = strconv.FormatBool(x)
			default:
				return fmt.Errorf("配置文件 %s 的 %s：应为字符串、数字或 true/false", path, key)
			}
			if !known[key] {
				return fmt.Errorf("配置文件 %s：没有 %s 这个配置项（可用的见 docs/hotline.example.toml）", path, key)
			}
		}
		return nil
	}
	if err := walk("", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// runConfig is `hotline config check FILE`: the file is read and every
// value checked as serve would, without starting anything.
func runConfig(args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "check" {
		return fmt.Errorf("用法: hotline config check FILE")
	}
	fs, o := newServeFlags(stderr)
	if err := fs.Parse([]string{"--config", args[1]}); err != nil {
		return err
	}
	if err := configure(fs); err != nil {
		return err
	}
	if err := o.validate(); err != nil {
		return err
	}
	file, _ := readConfig(args[1])
	keys := make([]string, 0, len(file))
	for k := range file {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(stdout, "配置文件 %s 无误（%d 项：%s）\n", args[1], len(keys), strings.Join(keys, ", "))
	return nil
}
