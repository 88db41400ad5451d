package ids

import "github.com/novugen/novugen/dsl"

var ShippedAgain = dsl.Define[Payload]("shipped", on, sms("b"))
