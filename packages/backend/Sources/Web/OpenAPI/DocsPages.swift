// The documentation pages FastAPI serves: Swagger UI (and its OAuth2 redirect page) and ReDoc,
// loading their assets from jsDelivr unless configured otherwise (DOCS_*_URL settings).

public struct DocsAssets: Sendable {
    public var swaggerJS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"
    public var swaggerCSS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css"
    public var redocJS = "https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"
    public var favicon = "https://fastapi.tiangolo.com/img/favicon.png"

    public init() {}

    /// The defaults, each replaced by its variable when set (to serve the assets from your own
    /// host): DOCS_SWAGGER_JS_URL, DOCS_SWAGGER_CSS_URL, DOCS_REDOC_JS_URL, DOCS_FAVICON_URL.
    public init(_ settings: Settings) {
        swaggerJS = settings.string("DOCS_SWAGGER_JS_URL", default: swaggerJS)
        swaggerCSS = settings.string("DOCS_SWAGGER_CSS_URL", default: swaggerCSS)
        redocJS = settings.string("DOCS_REDOC_JS_URL", default: redocJS)
        favicon = settings.string("DOCS_FAVICON_URL", default: favicon)
    }
}

enum DocsPages {
    static func swaggerUI(title: String, openAPIURL: String, oauth2RedirectURL: String, assets: DocsAssets) -> String {
        """

            <!DOCTYPE html>
            <html>
            <head>
            <link type="text/css" rel="stylesheet" href="\(assets.swaggerCSS)">
            <link rel="shortcut icon" href="\(assets.favicon)">
            <title>\(title)</title>
            </head>
            <body>
            <div id="swagger-ui">
            </div>
            <script src="\(assets.swaggerJS)"></script>
            <!-- `SwaggerUIBundle` is now available on the page -->
            <script>
            const ui = SwaggerUIBundle({
                url: '\(openAPIURL)',
            "dom_id": "#swagger-ui",
        "layout": "BaseLayout",
        "deepLinking": true,
        "showExtensions": true,
        "showCommonExtensions": true,
        oauth2RedirectUrl: window.location.origin + '\(oauth2RedirectURL)',
            presets: [
                SwaggerUIBundle.presets.apis,
                SwaggerUIBundle.SwaggerUIStandalonePreset
                ],
            })
            </script>
            </body>
            </html>

        """
    }

    static func redoc(title: String, openAPIURL: String, assets: DocsAssets) -> String {
        """

            <!DOCTYPE html>
            <html>
            <head>
            <title>\(title)</title>
            <!-- needed for adaptive design -->
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1">

            <link href="https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700" rel="stylesheet">

            <link rel="shortcut icon" href="\(assets.favicon)">
            <!--
            ReDoc doesn't change outer page styles
            -->
            <style>
              body {
                margin: 0;
                padding: 0;
              }
            </style>
            </head>
            <body>
            <noscript>
                ReDoc requires Javascript to function. Please enable it to browse the documentation.
            </noscript>
            <redoc spec-url="\(openAPIURL)"></redoc>
            <script src="\(assets.redocJS)"> </script>
            </body>
            </html>

        """
    }

    /// Swagger UI's `oauth2-redirect.html`, as FastAPI serves it.
    static let oauth2Redirect = """
        <!doctype html>
        <html lang="en-US">
        <head>
            <title>Swagger UI: OAuth2 Redirect</title>
        </head>
        <body>
        <script>
            'use strict';
            function run () {
                var oauth2 = window.opener.swaggerUIRedirectOauth2;
                var sentState = oauth2.state;
                var redirectUrl = oauth2.redirectUrl;
                var isValid, qp, arr;

                if (/code|token|error/.test(window.location.hash)) {
                    qp = window.location.hash.substring(1).replace('?', '&');
                } else {
                    qp = location.search.substring(1);
                }

                arr = qp.split("&");
                arr.forEach(function (v,i,_arr) { _arr[i] = '"' + v.replace('=', '":"') + '"';});
                qp = qp ? JSON.parse('{' + arr.join() + '}',
                        function (key, value) {
                            return key === "" ? value : decodeURIComponent(value);
                        }
                ) : {};

                isValid = qp.state === sentState;

                if ((
                  oauth2.auth.schema.get("flow") === "accessCode" ||
                  oauth2.auth.schema.get("flow") === "authorizationCode" ||
                  oauth2.auth.schema.get("flow") === "authorization_code"
                ) && !oauth2.auth.code) {
                    if (!isValid) {
                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "warning",
                            message: "Authorization may be unsafe, passed state was changed in server. The passed state wasn't returned from auth server."
                        });
                    }

                    if (qp.code) {
                        delete oauth2.state;
                        oauth2.auth.code = qp.code;
                        oauth2.callback({auth: oauth2.auth, redirectUrl: redirectUrl});
                    } else {
                        let oauthErrorMsg;
                        if (qp.error) {
                            oauthErrorMsg = "["+qp.error+"]: " +
                                (qp.error_description ? qp.error_description+ ". " : "no accessCode received from the server. ") +
                                (qp.error_uri ? "More info: "+qp.error_uri : "");
                        }

                        oauth2.errCb({
                            authId: oauth2.auth.name,
                            source: "auth",
                            level: "error",
                            message: oauthErrorMsg || "[Authorization failed]: no accessCode received from the server."
                        });
                    }
                } else {
                    oauth2.callback({auth: oauth2.auth, token: qp, isValid: isValid, redirectUrl: redirectUrl});
                }
                window.close();
            }

            if (document.readyState !== 'loading') {
                run();
            } else {
                document.addEventListener('DOMContentLoaded', function () {
                    run();
                });
            }
        </script>
        </body>
        </html>
        """
}
