// Package loaderror does not compile; go/packages' error is reported with
// its position and nothing is run.
package loaderror

import "github.com/novugen/novugen/dsl"

var Broken = dsl.Define[Payload]("broken", dsl.Settings{Active: dsl.Active}, undefinedStep)
