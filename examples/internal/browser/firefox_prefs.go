package browser

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// firefoxPrefs are written to the profile's user.js. They turn off what
// Firefox would otherwise fetch by itself in the background (updates,
// telemetry, captive-portal and connectivity checks, Safe Browsing lists,
// remote settings, sponsored content, speculative connections), since the
// test machine has no network beyond loopback, and the first-run pages and
// prompts, which a test has no use for. Nothing here changes how Firefox
// treats CORS, cookies or redirects: the tests must see what users see.
var firefoxPrefs = map[string]any{
	// Updates, of the browser, its add-ons, plugins and search engines.
	"app.update.auto":                       false,
	"app.update.checkInstallTime":           false,
	"app.update.disabledForTesting":         true,
	"extensions.update.enabled":             false,
	"extensions.getAddons.cache.enabled":    false,
	"extensions.blocklist.enabled":          false,
	"extensions.systemAddon.update.enabled": false,
	"media.gmp-manager.updateEnabled":       false,
	"browser.search.update":                 false,

	// Telemetry, data reporting and studies.
	"datareporting.healthreport.uploadEnabled":                    false,
	"datareporting.policy.dataSubmissionEnabled":                  false,
	"datareporting.policy.dataSubmissionPolicyBypassNotification": true,
	"toolkit.telemetry.enabled":                                   false,
	"toolkit.telemetry.unified":                                   false,
	"toolkit.telemetry.archive.enabled":                           false,
	"toolkit.telemetry.server":                                    "",
	"toolkit.telemetry.newProfilePing.enabled":                    false,
	"toolkit.telemetry.shutdownPingSender.enabled":                false,
	"toolkit.telemetry.firstShutdownPing.enabled":                 false,
	"toolkit.telemetry.updatePing.enabled":                        false,
	"toolkit.telemetry.bhrPing.enabled":                           false,
	"app.normandy.enabled":                                        false,
	"app.shield.optoutstudies.enabled":                            false,
	"messaging-system.rsexperimentloader.enabled":                 false,

	// Connectivity and captive-portal checks, DNS over HTTPS, push.
	"network.captive-portal-service.enabled":          false,
	"captivedetect.canonicalURL":                      "",
	"network.connectivity-service.enabled":            false,
	"network.trr.mode":                                5, // off, by choice
	"doh-rollout.disable-heuristics":                  true,
	"dom.push.connection.enabled":                     false,
	"network.proxy.type":                              0, // direct: every page is on loopback
	"browser.region.network.url":                      "",
	"browser.region.update.enabled":                   false,
	"geo.provider.network.url":                        "",
	"identity.fxaccounts.enabled":                     false,
	"security.remote_settings.crlite_filters.enabled": false,
	"security.remote_settings.intermediates.enabled":  false,

	// Safe Browsing lists.
	"browser.safebrowsing.malware.enabled":            false,
	"browser.safebrowsing.phishing.enabled":           false,
	"browser.safebrowsing.blockedURIs.enabled":        false,
	"browser.safebrowsing.downloads.enabled":          false,
	"browser.safebrowsing.downloads.remote.enabled":   false,
	"browser.safebrowsing.provider.google4.updateURL": "",
	"browser.safebrowsing.provider.google.updateURL":  "",
	"browser.safebrowsing.provider.mozilla.updateURL": "",

	// Remote settings: a data: URL, so that a fetch of them fails at once
	// without leaving the machine.
	"services.settings.server": "data:,remote-settings-off",

	// The new-tab page's feeds, sponsored tiles and speculative
	// connections.
	"browser.newtabpage.enabled":                                  false,
	"browser.newtab.preload":                                      false,
	"browser.newtabpage.activity-stream.feeds.system.topstories":  false,
	"browser.newtabpage.activity-stream.feeds.section.topstories": false,
	"browser.newtabpage.activity-stream.feeds.topsites":           false,
	"browser.newtabpage.activity-stream.feeds.telemetry":          false,
	"browser.newtabpage.activity-stream.telemetry":                false,
	"browser.newtabpage.activity-stream.showSponsored":            false,
	"browser.newtabpage.activity-stream.showSponsoredTopSites":    false,
	"browser.newtabpage.activity-stream.default.sites":            "",
	"browser.topsites.contile.enabled":                            false,
	"browser.discovery.enabled":                                   false,
	"browser.translations.enable":                                 false,
	"browser.ml.enable":                                           false,
	"network.dns.disablePrefetch":                                 true,
	"network.prefetch-next":                                       false,
	"network.predictor.enabled":                                   false,
	"network.http.speculative-parallel-limit":                     0,
	"browser.urlbar.speculativeConnect.enabled":                   false,
	"browser.places.speculativeConnect.enabled":                   false,

	// First run, session restore and prompts.
	"browser.shell.checkDefaultBrowser":                                  false,
	"browser.startup.homepage_override.mstone":                           "ignore",
	"browser.startup.page":                                               0,
	"browser.sessionstore.resume_from_crash":                             false,
	"toolkit.startup.max_resumed_crashes":                                -1,
	"browser.tabs.warnOnClose":                                           false,
	"browser.warnOnQuit":                                                 false,
	"browser.aboutwelcome.enabled":                                       false,
	"trailhead.firstrun.didSeeAboutWelcome":                              true,
	"browser.uitour.enabled":                                             false,
	"browser.vpn_promo.enabled":                                          false,
	"browser.contentblocking.introCount":                                 99,
	"startup.homepage_welcome_url":                                       "",
	"startup.homepage_welcome_url.additional":                            "",
	"browser.startup.firstrunSkipsHomepage":                              true,
	"datareporting.policy.firstRunURL":                                   "",
	"browser.rights.3.shown":                                             true,
	"browser.disableResetPrompt":                                         true,
	"extensions.autoDisableScopes":                                       0,
	"extensions.enabledScopes":                                           5, // the profile's and the application's: nothing from the system
	"browser.download.panel.shown":                                       true,
	"browser.startup.homepage_override.buildID":                          "ignore",
	"browser.newtabpage.activity-stream.asrouter.userprefs.cfr.addons":   false,
	"browser.newtabpage.activity-stream.asrouter.userprefs.cfr.features": false,
}

// writeFirefoxPrefs writes firefoxPrefs to dir/user.js, which Firefox reads
// at every start.
func writeFirefoxPrefs(dir string) error {
	var b strings.Builder
	b.WriteString("// Written by corskit's browser tests.\n")
	names := make([]string, 0, len(firefoxPrefs))
	for name := range firefoxPrefs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		var v string
		switch x := firefoxPrefs[name].(type) {
		case string:
			v = fmt.Sprintf("%q", x)
		default:
			v = fmt.Sprint(x)
		}
		fmt.Fprintf(&b, "user_pref(%q, %s);\n", name, v)
	}
	return os.WriteFile(filepath.Join(dir, "user.js"), []byte(b.String()), 0o644)
}
