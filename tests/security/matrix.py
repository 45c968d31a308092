"""The access matrix (RELIABILITY.md S7): the status every persona gets from every route, with
cooperative A's objects (or the bureau's) in the URL. `test_access_matrix` checks every cell;
`test_every_route_has_a_row` fails when a route is added without its row here.

Columns, in this order: anonymous, bureau staff, member of A, member of B, official, host.
Unsafe API requests send a valid change where `calls.API_BODIES` has one, else an empty body:
a 400 then means the persona passed every permission check and reached validation.
Pages post an empty form (`calls.PAGE_BODIES` aside).

Reading the codes: 302 for anonymous is the redirect to sign in; 403 is "not for your role",
404 is "no such object for you" (never revealing another cooperative's rows); 405 is a method
the route does not answer; 409 is a state that does not allow the move.
"""

ROLES = ("anonymous", "staff", "coop_a", "coop_b", "official", "host")

Cells = tuple[int, int, int, int, int, int]

API: dict[tuple[str, str], Cells] = {
    # --- API root, token, schema and docs: public, the token endpoint checks the password
    ("api-root", "GET"): (200, 200, 200, 200, 200, 200),
    ("api-token", "POST"): (400, 400, 400, 400, 400, 400),
    # --- cooperatives-api
    ("cooperatives-api:cooperative-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("cooperatives-api:cooperative-list", "POST"): (403, 400, 403, 403, 403, 403),
    ("cooperatives-api:cooperative-detail", "GET"): (403, 200, 200, 404, 200, 200),
    ("cooperatives-api:cooperative-detail", "PATCH"): (403, 200, 200, 404, 403, 403),
    ("cooperatives-api:cooperative-detail", "PUT"): (403, 400, 400, 404, 403, 403),
    ("cooperatives-api:cooperative-resubmit", "POST"): (403, 400, 400, 404, 403, 403),
    ("cooperatives-api:cooperative-review", "POST"): (403, 200, 403, 403, 403, 403),
    # --- catalog-api
    ("catalog-api:product-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:product-list", "POST"): (403, 400, 400, 400, 403, 403),
    ("catalog-api:product-detail", "GET"): (403, 200, 200, 404, 200, 200),
    # A's product is approved: members change drafts only (reopen first), staff any.
    ("catalog-api:product-detail", "PATCH"): (403, 200, 400, 404, 403, 403),
    ("catalog-api:product-detail", "PUT"): (403, 400, 400, 404, 403, 403),
    ("catalog-api:product-archive", "POST"): (403, 200, 200, 404, 403, 403),
    ("catalog-api:product-photos", "POST"): (403, 400, 400, 404, 403, 403),
    ("catalog-api:product-review", "POST"): (403, 400, 403, 403, 403, 403),
    ("catalog-api:product-submit", "POST"): (403, 400, 400, 404, 403, 403),
    ("catalog-api:listing-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:listing-list", "POST"): (403, 400, 400, 400, 403, 403),
    ("catalog-api:listing-detail", "DELETE"): (403, 204, 204, 404, 403, 403),
    ("catalog-api:listing-detail", "GET"): (403, 200, 200, 404, 200, 200),
    ("catalog-api:listing-detail", "PATCH"): (403, 200, 200, 404, 403, 403),
    ("catalog-api:listing-detail", "PUT"): (403, 400, 400, 404, 403, 403),
    ("catalog-api:certification-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:certification-list", "POST"): (403, 400, 400, 400, 403, 403),
    ("catalog-api:certification-detail", "GET"): (403, 200, 200, 404, 200, 200),
    ("catalog-api:certification-detail", "PATCH"): (403, 200, 200, 404, 403, 403),
    ("catalog-api:certification-detail", "PUT"): (403, 400, 400, 404, 403, 403),
    ("catalog-api:zone-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:zone-list", "POST"): (403, 400, 403, 403, 403, 403),
    # Rooms still stand in the zone, and a display in the slot: refused, not deleted.
    ("catalog-api:zone-detail", "DELETE"): (403, 409, 403, 403, 403, 403),
    ("catalog-api:zone-detail", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:zone-detail", "PATCH"): (403, 200, 403, 403, 403, 403),
    ("catalog-api:zone-detail", "PUT"): (403, 400, 403, 403, 403, 403),
    ("catalog-api:display-slot-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:display-slot-list", "POST"): (403, 400, 403, 403, 403, 403),
    ("catalog-api:display-slot-detail", "DELETE"): (403, 409, 403, 403, 403, 403),
    ("catalog-api:display-slot-detail", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:display-slot-detail", "PATCH"): (403, 200, 403, 403, 403, 403),
    ("catalog-api:display-slot-detail", "PUT"): (403, 400, 403, 403, 403, 403),
    ("catalog-api:display-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:display-list", "POST"): (403, 400, 403, 403, 403, 403),
    ("catalog-api:display-detail", "DELETE"): (403, 204, 403, 403, 403, 403),
    ("catalog-api:display-detail", "GET"): (403, 200, 200, 200, 200, 200),
    ("catalog-api:display-detail", "PATCH"): (403, 200, 403, 403, 403, 403),
    ("catalog-api:display-detail", "PUT"): (403, 400, 403, 403, 403, 403),
    # --- livestreams-api
    ("livestreams-api:channel-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:channel-detail", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:room-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:room-detail", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:host-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:host-detail", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:session-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:session-list", "POST"): (403, 400, 403, 403, 403, 403),
    ("livestreams-api:session-detail", "GET"): (403, 200, 200, 404, 200, 200),
    ("livestreams-api:session-detail", "PATCH"): (403, 200, 403, 403, 403, 403),
    ("livestreams-api:session-detail", "PUT"): (403, 400, 403, 403, 403, 403),
    ("livestreams-api:session-cancel", "POST"): (403, 409, 403, 403, 403, 403),
    ("livestreams-api:session-end", "POST"): (403, 409, 403, 403, 403, 403),
    ("livestreams-api:session-metrics", "GET"): (403, 200, 200, 404, 200, 200),
    # The host is on this session, so enters its figures like staff.
    ("livestreams-api:session-metrics", "PUT"): (403, 200, 403, 403, 403, 200),
    # The session has ended: staff and its host pass the checks, the move is refused.
    ("livestreams-api:session-off-air", "POST"): (403, 409, 403, 403, 403, 409),
    ("livestreams-api:session-on-air", "POST"): (403, 409, 403, 403, 403, 409),
    ("livestreams-api:session-publish", "POST"): (403, 409, 403, 403, 403, 403),
    ("livestreams-api:session-start", "POST"): (403, 409, 403, 403, 403, 403),
    ("livestreams-api:meeting-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:meeting-list", "POST"): (403, 400, 403, 403, 403, 403),
    # The meeting is not on the host's sessions.
    ("livestreams-api:meeting-detail", "GET"): (403, 200, 200, 404, 200, 404),
    ("livestreams-api:meeting-detail", "PATCH"): (403, 200, 403, 403, 403, 403),
    ("livestreams-api:meeting-detail", "PUT"): (403, 200, 403, 403, 403, 403),
    # Sign-ups for trainings: staff all, a member their cooperative's (B's is 404), officials
    # read, hosts see an empty list; only staff mark who came. An empty sign-up is refused.
    ("livestreams-api:training-attendance-list", "GET"): (403, 200, 200, 200, 200, 200),
    ("livestreams-api:training-attendance-list", "POST"): (403, 400, 400, 400, 403, 403),
    ("livestreams-api:training-attendance-detail", "GET"): (403, 200, 200, 404, 200, 404),
    ("livestreams-api:training-attendance-detail", "PATCH"): (403, 200, 200, 404, 403, 403),
    ("livestreams-api:training-attendance-detail", "PUT"): (403, 200, 200, 404, 403, 403),
    ("livestreams-api:training-attendance-detail", "DELETE"): (403, 204, 204, 404, 403, 403),
    ("livestreams-api:training-attendance-attended", "POST"): (403, 400, 403, 403, 403, 403),
    # Live analytics uploads are multipart, staff's only; the matrix sends JSON.
    ("livestreams-api:analytics-import-list", "POST"): (403, 415, 403, 403, 403, 403),
    # --- orders-api
    ("orders-api:import-list", "GET"): (403, 200, 403, 403, 200, 403),
    # Uploads are multipart; the matrix sends JSON.
    ("orders-api:import-list", "POST"): (403, 415, 403, 403, 403, 403),
    ("orders-api:import-detail", "GET"): (403, 200, 403, 403, 200, 403),
    ("orders-api:session-sales", "GET"): (403, 200, 403, 403, 200, 403),
    # Staff's queues: staff only; an empty decision or mapping is refused by validation.
    ("orders-api:ambiguous-order-list", "GET"): (403, 200, 403, 403, 403, 403),
    ("orders-api:ambiguous-order-decide", "POST"): (403, 400, 403, 403, 403, 403),
    ("orders-api:unmatched-sku-list", "GET"): (403, 200, 403, 403, 403, 403),
    ("orders-api:unmatched-sku-map", "POST"): (403, 400, 403, 403, 403, 403),
    ("orders-api:unknown-status-list", "GET"): (403, 200, 403, 403, 403, 403),
    ("orders-api:unknown-status-map", "POST"): (403, 400, 403, 403, 403, 403),
    # --- dashboards-api
    ("dashboards-api:overview", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:sessions", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:hosts", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:deliveries", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:programme", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:programme-targets", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:programme-targets", "POST"): (403, 400, 403, 403, 403, 403),
    ("dashboards-api:programme-target", "DELETE"): (403, 204, 403, 403, 403, 403),
    ("dashboards-api:programme-target", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:programme-target", "PATCH"): (403, 200, 403, 403, 403, 403),
    ("dashboards-api:programme-target", "PUT"): (403, 400, 403, 403, 403, 403),
    # The host reads the figures of the sessions they hosted.
    ("dashboards-api:session", "GET"): (403, 200, 403, 403, 200, 200),
    # Platform-reported totals: staff set them (an empty PUT makes every figure unknown),
    # officials read them.
    ("dashboards-api:session-totals", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:session-totals", "PATCH"): (403, 200, 403, 403, 403, 403),
    ("dashboards-api:session-totals", "PUT"): (403, 200, 403, 403, 403, 403),
    ("dashboards-api:cooperatives", "GET"): (403, 200, 403, 403, 200, 403),
    ("dashboards-api:cooperative", "GET"): (403, 200, 200, 404, 200, 403),
    # --- schema and docs (public, like the API root)
    ("schema", "GET"): (200, 200, 200, 200, 200, 200),
    ("api-docs", "GET"): (200, 200, 200, 200, 200, 200),
}

# Read-only pages that do not restrict the method render on POST as on GET (200), changing
# nothing; form pages answer an empty form with the form and its errors (200).
PAGES: dict[tuple[str, str], Cells] = {
    # --- accounts and language (Django's views)
    ("set_language", "GET"): (302, 302, 302, 302, 302, 302),
    ("set_language", "POST"): (302, 302, 302, 302, 302, 302),
    ("login", "GET"): (200, 200, 200, 200, 200, 200),
    ("login", "POST"): (200, 200, 200, 200, 200, 200),
    ("logout", "GET"): (405, 405, 405, 405, 405, 405),
    ("logout", "POST"): (302, 302, 302, 302, 302, 302),
    ("password_change", "GET"): (302, 200, 200, 200, 200, 200),
    ("password_change", "POST"): (302, 200, 200, 200, 200, 200),
    ("password_change_done", "GET"): (302, 200, 200, 200, 200, 200),
    ("password_change_done", "POST"): (302, 405, 405, 405, 405, 405),
    ("password_reset", "GET"): (200, 200, 200, 200, 200, 200),
    ("password_reset", "POST"): (200, 200, 200, 200, 200, 200),
    ("password_reset_done", "GET"): (200, 200, 200, 200, 200, 200),
    ("password_reset_done", "POST"): (405, 405, 405, 405, 405, 405),
    ("password_reset_confirm", "GET"): (200, 200, 200, 200, 200, 200),
    ("password_reset_confirm", "POST"): (200, 200, 200, 200, 200, 200),
    ("password_reset_complete", "GET"): (200, 200, 200, 200, 200, 200),
    ("password_reset_complete", "POST"): (405, 405, 405, 405, 405, 405),
    # --- cooperatives
    # Registering makes a new account: a signed-in user is sent on (to their cooperative or home).
    ("cooperatives:register", "GET"): (200, 302, 302, 302, 302, 302),
    ("cooperatives:register", "POST"): (200, 302, 302, 302, 302, 302),
    ("cooperatives:mine", "GET"): (302, 302, 302, 302, 302, 302),
    ("cooperatives:mine", "POST"): (302, 302, 302, 302, 302, 302),
    ("cooperatives:list", "GET"): (302, 200, 200, 200, 200, 200),
    ("cooperatives:list", "POST"): (302, 200, 200, 200, 200, 200),
    ("cooperatives:detail", "GET"): (302, 200, 200, 404, 200, 200),
    ("cooperatives:detail", "POST"): (302, 200, 200, 404, 200, 200),
    ("cooperatives:edit", "GET"): (302, 200, 200, 404, 404, 404),
    ("cooperatives:edit", "POST"): (302, 200, 200, 404, 404, 404),
    ("cooperatives:review", "GET"): (405, 405, 405, 405, 405, 405),
    ("cooperatives:review", "POST"): (302, 302, 404, 404, 404, 404),
    ("cooperatives:resubmit", "GET"): (405, 405, 405, 405, 405, 405),
    ("cooperatives:resubmit", "POST"): (302, 302, 302, 404, 404, 404),
    ("cooperatives:invite", "GET"): (405, 405, 405, 405, 405, 405),
    ("cooperatives:invite", "POST"): (302, 302, 302, 404, 404, 404),
    # The token in the URL is the invitation's secret: whoever holds it may accept.
    ("cooperatives:accept-invitation", "GET"): (200, 200, 200, 200, 200, 200),
    ("cooperatives:accept-invitation", "POST"): (200, 200, 200, 200, 200, 200),
    # --- catalog
    ("catalog:showcase", "GET"): (200, 200, 200, 200, 200, 200),
    ("catalog:showcase", "POST"): (200, 200, 200, 200, 200, 200),
    ("catalog:showcase-product", "GET"): (200, 200, 200, 200, 200, 200),
    ("catalog:showcase-product", "POST"): (200, 200, 200, 200, 200, 200),
    ("catalog:showcase-cooperative", "GET"): (200, 200, 200, 200, 200, 200),
    ("catalog:showcase-cooperative", "POST"): (200, 200, 200, 200, 200, 200),
    # The showroom floor plan and its QR cards are public, like the showcase.
    ("catalog:floor-plan", "GET"): (200, 200, 200, 200, 200, 200),
    ("catalog:floor-plan", "POST"): (200, 200, 200, 200, 200, 200),
    ("catalog:display-create", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:display-create", "POST"): (302, 302, 404, 404, 404, 404),
    ("catalog:display-end", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:display-end", "POST"): (302, 302, 404, 404, 404, 404),
    ("catalog:display-qr", "GET"): (200, 200, 200, 200, 200, 200),
    ("catalog:display-qr", "POST"): (200, 200, 200, 200, 200, 200),
    ("catalog:display-qr-svg", "GET"): (200, 200, 200, 200, 200, 200),
    ("catalog:display-qr-svg", "POST"): (200, 200, 200, 200, 200, 200),
    ("catalog:product-list", "GET"): (302, 200, 200, 200, 200, 200),
    ("catalog:product-list", "POST"): (302, 200, 200, 200, 200, 200),
    # Any member may add products, to their own cooperative.
    ("catalog:product-create", "GET"): (302, 200, 200, 200, 404, 404),
    ("catalog:product-create", "POST"): (302, 200, 200, 200, 404, 404),
    ("catalog:review-queue", "GET"): (302, 200, 404, 404, 404, 404),
    ("catalog:review-queue", "POST"): (302, 200, 404, 404, 404, 404),
    ("catalog:product-detail", "GET"): (302, 200, 200, 404, 200, 200),
    ("catalog:product-detail", "POST"): (302, 200, 200, 404, 200, 200),
    ("catalog:product-edit", "GET"): (302, 200, 200, 404, 404, 404),
    ("catalog:product-edit", "POST"): (302, 200, 200, 404, 404, 404),
    ("catalog:product-submit", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:product-submit", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:product-archive", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:product-archive", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:product-reopen", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:product-reopen", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:product-review", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:product-review", "POST"): (302, 302, 404, 404, 404, 404),
    ("catalog:photo-add", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:photo-add", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:listing-create", "GET"): (302, 200, 200, 404, 404, 404),
    ("catalog:listing-create", "POST"): (302, 200, 200, 404, 404, 404),
    ("catalog:photo-primary", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:photo-primary", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:photo-move", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:photo-move", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:photo-delete", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:photo-delete", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:listing-edit", "GET"): (302, 200, 200, 404, 404, 404),
    ("catalog:listing-edit", "POST"): (302, 200, 200, 404, 404, 404),
    ("catalog:listing-delete", "GET"): (405, 405, 405, 405, 405, 405),
    ("catalog:listing-delete", "POST"): (302, 302, 302, 404, 404, 404),
    ("catalog:certification-list", "GET"): (302, 200, 200, 200, 200, 200),
    # Evidence is private: staff, officials and A's members read it; B and hosts do not.
    ("catalog:certification-document", "GET"): (302, 200, 200, 404, 200, 404),
    ("catalog:certification-document", "POST"): (302, 405, 405, 405, 405, 405),
    ("catalog:certification-list", "POST"): (302, 200, 200, 200, 200, 200),
    ("catalog:certification-create", "GET"): (302, 200, 200, 200, 404, 404),
    ("catalog:certification-create", "POST"): (302, 200, 200, 200, 404, 404),
    ("catalog:certification-edit", "GET"): (302, 200, 200, 404, 404, 404),
    ("catalog:certification-edit", "POST"): (302, 200, 200, 404, 404, 404),
    # --- livestreams
    ("livestreams:session-list", "GET"): (302, 200, 200, 200, 200, 200),
    ("livestreams:session-list", "POST"): (302, 200, 200, 200, 200, 200),
    ("livestreams:session-detail", "GET"): (302, 200, 200, 404, 200, 200),
    ("livestreams:session-detail", "POST"): (302, 200, 200, 404, 200, 200),
    ("livestreams:run-sheet", "GET"): (302, 200, 200, 404, 200, 200),
    ("livestreams:run-sheet", "POST"): (302, 200, 200, 404, 200, 200),
    ("livestreams:session-control", "GET"): (302, 200, 404, 404, 404, 200),
    ("livestreams:session-control", "POST"): (302, 400, 404, 404, 404, 400),
    ("livestreams:session-metrics", "GET"): (302, 200, 404, 404, 404, 200),
    ("livestreams:session-metrics", "POST"): (302, 200, 404, 404, 404, 200),
    # Trainings: staff and cooperative members. An empty sign-up form is shown again with its
    # errors (members); staff, who sign nobody up here, are sent back with a message.
    ("livestreams:training-list", "GET"): (302, 200, 200, 200, 404, 404),
    ("livestreams:training-list", "POST"): (405, 405, 405, 405, 405, 405),
    ("livestreams:training-sign-up", "GET"): (302, 200, 200, 200, 404, 404),
    ("livestreams:training-sign-up", "POST"): (302, 302, 200, 200, 404, 404),
    ("livestreams:training-withdraw", "GET"): (302, 405, 405, 405, 405, 405),
    ("livestreams:training-withdraw", "POST"): (302, 302, 302, 404, 404, 404),
    # Staff's attendance sheet; an empty post is a formset without its management form.
    ("livestreams:attendance-sheet", "GET"): (302, 200, 404, 404, 404, 404),
    ("livestreams:attendance-sheet", "POST"): (302, 200, 404, 404, 404, 404),
    ("livestreams:calendar", "GET"): (302, 200, 200, 200, 200, 200),
    ("livestreams:calendar", "POST"): (302, 200, 200, 200, 200, 200),
    # Calendar feeds: the token in the URL is the secret (calendar apps cannot sign in).
    ("livestreams:room-feed", "GET"): (200, 200, 200, 200, 200, 200),
    ("livestreams:room-feed", "POST"): (405, 405, 405, 405, 405, 405),
    ("livestreams:host-feed", "GET"): (200, 200, 200, 200, 200, 200),
    ("livestreams:host-feed", "POST"): (405, 405, 405, 405, 405, 405),
    # The public schedule and its feed: the base's window, for everyone, signed in or not.
    ("livestreams:public-schedule", "GET"): (200, 200, 200, 200, 200, 200),
    ("livestreams:public-schedule", "POST"): (405, 405, 405, 405, 405, 405),
    ("livestreams:public-week", "GET"): (200, 200, 200, 200, 200, 200),
    ("livestreams:public-week", "POST"): (405, 405, 405, 405, 405, 405),
    ("livestreams:public-feed", "GET"): (200, 200, 200, 200, 200, 200),
    ("livestreams:public-feed", "POST"): (405, 405, 405, 405, 405, 405),
    # The live analytics import is bureau staff's; an empty form re-renders with its errors.
    ("livestreams:analytics-import", "GET"): (302, 200, 404, 404, 404, 404),
    ("livestreams:analytics-import", "POST"): (302, 200, 404, 404, 404, 404),
    # --- orders
    # Imports are bureau staff's; pages hide them from other roles (404).
    ("orders:import-list", "GET"): (302, 200, 404, 404, 404, 404),
    ("orders:import-list", "POST"): (302, 200, 404, 404, 404, 404),
    ("orders:unmatched", "GET"): (302, 200, 404, 404, 404, 404),
    ("orders:unmatched", "POST"): (302, 200, 404, 404, 404, 404),
    ("orders:ambiguous", "GET"): (302, 200, 404, 404, 404, 404),
    # An empty bulk decision re-renders the page with "select at least one order".
    ("orders:ambiguous", "POST"): (302, 200, 404, 404, 404, 404),
    ("orders:import-detail", "GET"): (302, 200, 404, 404, 404, 404),
    ("orders:import-detail", "POST"): (302, 200, 404, 404, 404, 404),
    ("orders:import-status", "GET"): (302, 200, 404, 404, 404, 404),
    ("orders:import-status", "POST"): (302, 200, 404, 404, 404, 404),
    ("orders:import-errors", "GET"): (302, 200, 404, 404, 404, 404),
    ("orders:import-errors", "POST"): (302, 200, 404, 404, 404, 404),
    ("orders:statuses", "GET"): (302, 200, 404, 404, 404, 404),
    ("orders:statuses", "POST"): (302, 200, 404, 404, 404, 404),
    ("orders:import-file", "GET"): (302, 200, 404, 404, 404, 404),
    ("orders:import-file", "POST"): (302, 405, 405, 405, 405, 405),
    # --- dashboards
    ("dashboards:overview", "GET"): (302, 200, 403, 403, 200, 403),
    ("dashboards:overview", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:session-list", "GET"): (302, 200, 403, 403, 200, 403),
    ("dashboards:session-list", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:session-detail", "GET"): (302, 200, 403, 403, 200, 200),
    ("dashboards:session-detail", "POST"): (405, 405, 405, 405, 405, 405),
    # Staff enter the platform's totals; an empty form is valid (every figure unknown).
    ("dashboards:session-totals", "GET"): (302, 200, 403, 403, 403, 403),
    ("dashboards:session-totals", "POST"): (302, 302, 403, 403, 403, 403),
    ("dashboards:host-list", "GET"): (302, 200, 403, 403, 200, 403),
    ("dashboards:host-list", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:deliveries", "GET"): (302, 200, 403, 403, 200, 403),
    ("dashboards:deliveries", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:programme", "GET"): (302, 200, 403, 403, 200, 403),
    ("dashboards:programme", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:target-list", "GET"): (302, 200, 403, 403, 200, 403),
    ("dashboards:target-list", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:target-add", "GET"): (302, 200, 403, 403, 403, 403),
    ("dashboards:target-add", "POST"): (302, 200, 403, 403, 403, 403),
    ("dashboards:target-edit", "GET"): (302, 200, 403, 403, 403, 403),
    ("dashboards:target-edit", "POST"): (302, 200, 403, 403, 403, 403),
    ("dashboards:target-delete", "GET"): (405, 405, 405, 405, 405, 405),
    ("dashboards:target-delete", "POST"): (302, 302, 403, 403, 403, 403),
    ("dashboards:monthly-report", "GET"): (302, 200, 403, 403, 200, 403),
    ("dashboards:monthly-report", "POST"): (405, 405, 405, 405, 405, 405),
    # Sent on to the first cooperative the user may see; the host sees none here.
    ("dashboards:my-cooperative", "GET"): (302, 302, 302, 302, 302, 404),
    ("dashboards:my-cooperative", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:cooperative-list", "GET"): (302, 200, 302, 302, 200, 403),
    ("dashboards:cooperative-list", "POST"): (405, 405, 405, 405, 405, 405),
    ("dashboards:cooperative-detail", "GET"): (302, 200, 200, 404, 200, 404),
    ("dashboards:cooperative-detail", "POST"): (405, 405, 405, 405, 405, 405),
    # --- core
    ("home", "GET"): (200, 200, 200, 200, 200, 200),
    ("home", "POST"): (200, 200, 200, 200, 200, 200),
    ("health", "GET"): (200, 200, 200, 200, 200, 200),
    ("health", "POST"): (200, 200, 200, 200, 200, 200),
    ("system-check", "GET"): (405, 405, 405, 405, 405, 405),
    ("system-check", "POST"): (302, 302, 404, 404, 404, 404),
    ("job-detail", "GET"): (302, 200, 404, 404, 404, 404),
    ("job-detail", "POST"): (302, 200, 404, 404, 404, 404),
    ("job-status", "GET"): (302, 200, 404, 404, 404, 404),
    ("job-status", "POST"): (405, 405, 405, 405, 405, 405),
    # The audit trail is bureau staff's: everyone else finds no such page.
    ("history", "GET"): (302, 200, 404, 404, 404, 404),
    ("history", "POST"): (405, 405, 405, 405, 405, 405),
}

# Routes left out of the matrix, by the start of their pattern, and why.
NOT_IN_MATRIX = {
    "admin/": "Django's admin checks is_staff and each model's permissions itself; the roles' "
    "permissions are core/roles.py's table, and tests/*/test_admin.py cover who reaches it",
    "^media/": "uploaded files, served by Django only with DEBUG (the web server in production)",
}

# Lists: whether each persona sees A's row (True), does not (False), or is refused the list
# (None), in the column order above. The row is found by its id in API results and by its
# name on pages. Member B never sees A's rows; the bureau's shared rows (zones, slots,
# displays, rooms, channels, hosts) are left out: the showroom's floor plan is public.
Seen = tuple[bool | None, bool | None, bool | None, bool | None, bool | None, bool | None]

API_LISTS: dict[str, tuple[str, Seen]] = {
    "cooperatives-api:cooperative-list": ("cooperative", (None, True, True, False, True, True)),
    "catalog-api:product-list": ("product", (None, True, True, False, True, True)),
    "catalog-api:listing-list": ("listing", (None, True, True, False, True, True)),
    "catalog-api:certification-list": ("certification", (None, True, True, False, True, True)),
    "livestreams-api:session-list": ("session", (None, True, True, False, True, True)),
    # The meeting is not on the host's sessions.
    "livestreams-api:meeting-list": ("meeting", (None, True, True, False, True, False)),
    "livestreams-api:training-attendance-list": (
        "attendance",
        (None, True, True, False, True, False),
    ),
    "orders-api:import-list": ("batch", (None, True, None, None, True, None)),
    "dashboards-api:programme-targets": ("target", (None, True, None, None, True, None)),
}

PAGE_LISTS: dict[str, tuple[str, Seen]] = {
    "cooperatives:list": ("Chu Se Coffee Cooperative", (None, True, True, False, True, True)),
    "catalog:product-list": ("A beans", (None, True, True, False, True, True)),
    "catalog:certification-list": ("OCOP-A-0001", (None, True, True, False, True, True)),
    "livestreams:session-list": ("A coffee live", (None, True, True, False, True, True)),
    "dashboards:cooperative-list": (
        "Chu Se Coffee Cooperative",
        (None, True, None, None, True, None),
    ),
}

# The session of the world took place two days ago; the sessions page starts at today.
LIST_QUERIES = {"livestreams:session-list": "?date_from=2000-01-01"}
