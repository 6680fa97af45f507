package conformance

import (
	"errors"
	"time"

	"github.com/corskit/corskit/core"
)

// Configurations every adapter's New must refuse with core.Compile's
// errors, so that a bad policy never reaches traffic.
func configCases() []Case {
	refused := func(name string, rule int, cfg core.Config, err error) Case {
		return Case{Name: "config/" + name, Rule: rule, Config: cfg, ConfigError: err}
	}
	return []Case{
		refused("credentials with any origin", 3, core.Config{Origins: []string{"*"}, Credentials: true}, core.ErrCredentialsAnyOrigin),
		refused("credentials with the null origin", 2, core.Config{Origins: []string{web, "null"}, Credentials: true}, core.ErrCredentialsNullOrigin),
		refused("subdomains of a public suffix: *.co.uk", 2, core.Config{Origins: []string{"https://*.co.uk"}}, core.ErrPublicSuffixPattern),
		refused("subdomains of a public suffix: *.com", 2, core.Config{Origins: []string{"https://*.com"}}, core.ErrPublicSuffixPattern),
		refused("* mixed with origins", 2, core.Config{Origins: []string{"*", web}}, core.ErrAnyOriginMixed),
		refused("origin not written as browsers send it", 2, core.Config{Origins: []string{"https://Web.example.com/"}}, core.ErrOriginNotCanonical),
		refused("origin with the default port", 2, core.Config{Origins: []string{"https://web.example.com:443"}}, core.ErrOriginNotCanonical),
		refused("origin without a scheme", 2, core.Config{Origins: []string{"web.example.com"}}, core.ErrOriginMalformed),
		refused("origin with a path", 2, core.Config{Origins: []string{"https://web.example.com/app"}}, core.ErrOriginMalformed),
		refused("origin with an unsupported scheme", 2, core.Config{Origins: []string{"ftp://files.example.com"}}, core.ErrOriginScheme),
		refused("wildcard in the middle of a host", 2, core.Config{Origins: []string{"https://web.*.com"}}, core.ErrOriginPattern),
		refused("OriginFunc with any origin", 2, core.Config{Origins: []string{"*"}, OriginFunc: func(string) bool { return true }}, core.ErrAnyOriginMixed),
		refused("forbidden method", 5, core.Config{Origins: []string{web}, Methods: []string{"TRACE"}}, core.ErrMethodForbidden),
		refused("well-known method in lower case: patch", 5, core.Config{Origins: []string{web}, Methods: []string{"patch"}}, core.ErrMethodCase),
		refused("credentials with no origin at all", 3, core.Config{Credentials: true}, core.ErrCredentialsNoOrigin),
		refused("IPv4 origin in shorthand", 2, core.Config{Origins: []string{"http://127.1:3000"}}, core.ErrOriginNotCanonical),
		refused("method that is not a token", 5, core.Config{Origins: []string{web}, Methods: []string{"PU T"}}, core.ErrMethodInvalid),
		refused("header the browser controls", 5, core.Config{Origins: []string{web}, Headers: []string{"Cookie"}}, core.ErrHeaderForbidden),
		refused("header that is not a token", 5, core.Config{Origins: []string{web}, Headers: []string{"X-Api-Key:"}}, core.ErrHeaderInvalid),
		refused("headers * mixed with names", 5, core.Config{Origins: []string{web}, Headers: []string{"*", "Content-Type"}}, core.ErrWildcardMixed),
		refused("preflight status not 2xx", 5, core.Config{Origins: []string{web}, PreflightStatus: 301}, core.ErrStatusInvalid),
		refused("reject status without rejection", 6, core.Config{Origins: []string{web}, RejectStatus: 403}, core.ErrStatusInvalid),
		refused("reject status not 4xx", 6, core.Config{Origins: []string{web}, RejectDisallowed: true, RejectStatus: 500}, core.ErrStatusInvalid),
		refused("negative max age", 7, core.Config{Origins: []string{web}, MaxAge: -time.Second}, core.ErrMaxAgeInvalid),
		refused("max age with caching disabled", 7, core.Config{Origins: []string{web}, MaxAge: time.Minute, NoPreflightCache: true}, core.ErrMaxAgeInvalid),
		refused("expose * with credentials", 8, core.Config{Origins: []string{web}, Credentials: true, ExposeHeaders: []string{"*"}}, core.ErrCredentialsExposeAll),
		refused("expose Set-Cookie", 8, core.Config{Origins: []string{web}, ExposeHeaders: []string{"Set-Cookie"}}, core.ErrHeaderForbidden),
		refused("every problem at once", 3, core.Config{
			Origins: []string{"*"}, Credentials: true, Methods: []string{"TRACE"}, ExposeHeaders: []string{"*"}, MaxAge: -time.Second,
		}, errors.Join(core.ErrCredentialsAnyOrigin, core.ErrMethodForbidden, core.ErrCredentialsExposeAll, core.ErrMaxAgeInvalid)),
	}
}
