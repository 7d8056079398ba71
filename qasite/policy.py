"""Every threshold, limit and reputation amount of the domain (docs/rules.md), read through
core.conf.qasite_setting(); nothing else holds a copy. Its own module so the settings stay
readable; ``qasite.settings`` imports it as ``QASITE``. A few entries come from the
environment (README, "Configuration")."""

from core.env import env_bool, env_text

QASITE = {
    "REPUTATION": {
        "QUESTION_UPVOTED": 10,
        "ANSWER_UPVOTED": 10,
        "ANSWER_ACCEPTED": 15,
        "ACCEPTER": 2,
        "SUGGESTED_EDIT_APPROVED": 2,
        "SUGGESTED_EDIT_CAP": 1000,
        "POST_DOWNVOTED": -2,
        "DOWNVOTER_ON_ANSWER": -1,
        "POST_DELETED_AS_SPAM": -100,
        "DAILY_VOTE_CAP": 200,
    },
    "PRIVILEGES": {
        "ASK": 1,
        "REMOVE_NEW_USER_RESTRICTIONS": 10,
        "UPLOAD_IMAGES": 10,
        "UPVOTE": 15,
        "FLAG": 15,
        "COMMENT_EVERYWHERE": 50,
        "DOWNVOTE": 125,
        "CLOSE_OWN_QUESTION": 250,
        "CREATE_TAGS": 300,
        "REVIEW_FIRST_POSTS": 500,
        "SEE_VOTE_SPLIT": 1000,
        "EDIT_TAG_WIKIS": 1500,
        "EDIT_ANY_POST": 2000,
        "REVIEW_LOW_QUALITY": 2000,
        "CREATE_TAG_SYNONYMS": 2500,
        "CAST_CLOSE_VOTES": 3000,
        "MODERATOR_TOOLS": 10000,
        "PROTECT_QUESTIONS": 15000,
    },
    "QUESTION_TITLE_MIN": 15,
    "QUESTION_TITLE_MAX": 150,
    "QUESTION_BODY_MIN": 30,
    "POST_BODY_MAX": 30000,
    "TAGS_MIN": 1,
    "TAGS_MAX": 5,
    "ANSWER_BODY_MIN": 30,
    "COMMENT_MIN": 15,
    "COMMENT_MAX": 600,
    # Below REMOVE_NEW_USER_RESTRICTIONS (docs/rules.md, "Writing").
    "NEW_USER_LINKS_MAX": 2,
    "NEW_USER_IMAGES_MAX": 0,
    "VOTE_LOCK_MINUTES": 5,
    "CLOSE_VOTES_TO_CLOSE": 3,
    "REOPEN_VOTES_TO_REOPEN": 3,
    "CLOSE_VOTE_AGING_DAYS": 14,
    "REVOTE_AFTER_AGING_DAYS": 14,
    "ANSWER_GRACE_AFTER_CLOSE_HOURS": 4,
    "REOPEN_REVIEW_EDIT_DAYS": 5,
    "PROTECTED_ANSWER_EARNED_REPUTATION": 10,
    "SELF_ACCEPT_AFTER_HOURS": 48,
    "EDIT_FOLD_MINUTES": 5,
    "VIEW_DEDUP_SECONDS": 3600,
    # Anti-abuse limits, counted from rows under the user's row lock (docs/rules.md, "Rate limits").
    "RATE_LIMITS": {
        "VOTES_PER_DAY": 40,
        "FLAGS_PER_DAY": 10,
        "CLOSE_VOTES_PER_DAY": 24,
        "NEW_USER_REPUTATION": 125,
        "NEW_USER_QUESTION_MINUTES": 40,
        "COMMENT_SECONDS": 15,
        "UPLOADS_PER_DAY": 20,
        "PREVIEWS_PER_MINUTE": 60,
    },
    "REVIEW": {
        "REVIEWS_PER_QUEUE_PER_DAY": 20,
        "CLOSE_LEAVE_OPEN_TO_COMPLETE": 3,
        "REOPEN_LEAVE_CLOSED_TO_COMPLETE": 3,
        "LOW_QUALITY_AGREEING": 2,
        "SUGGESTED_EDIT_AGREEING": 2,
        "LATE_ANSWER_DAYS": 30,
        "LATE_ANSWER_MAX_REPUTATION": 50,
        "AUDIT_EVERY": 15,
        "AUDIT_GOOD_SCORE": 3,
        "AUDIT_FAILURES_TO_SUSPEND": 3,
        "AUDIT_FAILURE_WINDOW_DAYS": 7,
        # Review bans after failed audits, each longer than the last (docs/rules.md, "Review bans").
        "AUDIT_BAN_DAYS": [2, 7, 30, 90],
        "AUDIT_BAN_LOOKBACK_DAYS": 365,
        "REVIEWERS_PER_PAGE": 30,
    },
    "FLAGS": {
        "SPAM_OR_RUDE_TO_DELETE": 4,
    },
    # The policy what-if's date window (docs/rules.md, "Policy what-if").
    "WHATIF": {
        "MAX_WINDOW_DAYS": 366,
        "DEFAULT_WINDOW_DAYS": 90,
    },
    # The daily serial voting job (docs/rules.md, "Serial voting").
    "SERIAL_VOTING": {
        "SERIAL_VOTES_MIN": 5,
        "SERIAL_WINDOW_HOURS": 24,
        "SERIAL_DETECTIONS_SHOWN": 20,
    },
    # Suggesting and voting on tag synonyms (docs/rules.md, "Tag synonyms and the tag wiki").
    "TAG_SYNONYMS": {
        "TAG_SCORE": 5,
        "VOTES_TO_APPROVE": 4,
        "VOTES_TO_REJECT": 2,
    },
    "QUESTIONS_PER_PAGE": 30,
    # The question lists' tabs, page sizes and the ranking job (docs/rules.md,
    # "Question lists").
    "LISTS": {
        "PAGE_SIZES": [15, 30, 50],
        "MAX_PAGE": 100,
        "COUNT_SECONDS": 60,
        "RANK_EVERY_MINUTES": 10,
        "HOT_WINDOW_DAYS": 14,
        "HOT_VIEW_WEIGHT": 4,
        "HOT_ANSWER_DIVISOR": 5,
        "HOT_GRAVITY": 1.5,
        "WEEK_DAYS": 7,
        "MONTH_DAYS": 30,
    },
    "USER_POSTS_PER_PAGE": 20,
    "USER_TAGS_PER_PAGE": 30,
    # Profiles, avatars and the users list (docs/rules.md, "Profiles and avatars", "Users list").
    "PROFILES": {
        "AVATAR_MAX_BYTES": 2 * 1024 * 1024,
        "AVATAR_MAX_SIDE": 4096,
        "AVATAR_SIZE": 256,
        "ABOUT_MAX": 3000,
        "LAST_SEEN_EVERY_MINUTES": 5,
        "ACTIVITY_ITEMS": 5,
        "USERS_PER_PAGE": 36,
        "USERS_ACTIVITY_DAYS": 30,
    },
    "MEDIA_IMAGE_FOLDERS": ["avatars", "uploads"],
    # Feeds, the sitemap and robots.txt (docs/rules.md, "Feeds and discovery").
    "FEEDS": {
        "ITEMS": 30,
        "SITEMAP_PAGE_SIZE": 10000,
        "SITEMAP_CACHE_SECONDS": 3600,
    },
    # Images in posts and the editor's preview (docs/rules.md, "The editor and images in posts").
    "UPLOADS": {
        "MAX_BYTES": 2 * 1024 * 1024,
        "MAX_SIDE": 4096,
        "MAX_GIF_FRAMES": 100,
        "FOLDER": "uploads",
        "ORPHAN_HOURS": 24,
    },
    "REPUTATION_DAYS_PER_PAGE": 20,
    # The inbox and its email (docs/rules.md, "Notifications").
    "NOTIFICATIONS": {
        "INBOX_PER_PAGE": 30,
        "DROPDOWN_ITEMS": 8,
        "UNREAD_CACHE_SECONDS": 300,
        "MENTION_PREFIX_MIN": 3,
        "EMAIL_MODERATION_DEFAULT": "immediate",
        "EMAIL_OTHER_DEFAULT": "daily",
        "EMAIL_RETRY_SECONDS": [60, 300, 1800],
        "EMAIL_RESEND_AFTER_MINUTES": 15,
        "EMAIL_RESEND_MAX_DAYS": 2,
        "EMAIL_DIGEST_HOUR_UTC": 7,
        "EMAIL_DIGEST_ITEMS_PER_KIND": 10,
    },
    # Sign-up, verification and two-factor (docs/rules.md, "Accounts").
    "ACCOUNTS": {
        "VERIFIED_EMAIL_TO_POST": True,
        "MFA_REQUIRED_FOR_STAFF": env_bool("REQUIRE_MFA_FOR_MODERATORS", False),
        # allauth's limits, kept in its cache ("action": "count/period/by,…").
        "RATE_LIMITS": {
            "login_failed": "10/m/ip,5/5m/key",
            "login": "30/m/ip",
            "signup": "20/m/ip",
            "reset_password": "20/m/ip,5/m/key",
            "reset_password_from_key": "20/m/ip",
            "confirm_email": "1/3m/key",
            "change_password": "5/m/user",
            "manage_email": "10/m/user",
            "reauthenticate": "10/m/user",
        },
    },
    # The moderator's desk (docs/rules.md, "Suspensions and moderator messages").
    # The API's tokens (docs/rules.md, "API tokens").
    "API": {
        "TOKEN_MAX_DAYS": 365,
    },
    "DESK": {
        "SUSPENSION_DAYS": [1, 3, 7, 30, 365],
        "MESSAGE_BODY_MIN": 20,
        "MESSAGE_BODY_MAX": 10000,
        "NOTICE_CACHE_SECONDS": 300,
        "RECORD_ROWS": 20,
    },
    # Webhooks: staff's endpoints told of events (docs/rules.md, "Webhooks").
    "WEBHOOKS": {
        "TIMEOUT_SECONDS": 5,
        "JOB_TIMEOUT_SECONDS": 30,
        "RETRY_SECONDS": [30, 120, 600, 3600, 21600],
        "DISABLE_AFTER_FAILURES": 15,
        "ALLOW_PRIVATE_TARGETS": env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False),
    },
    # The site itself: its name and what it is about, which texts such as the default
    # close reasons name (docs/rules.md, "The site").
    "SITE": {
        "NAME": env_text("SITE_NAME", "qasite"),
        "SUBJECT": env_text("SITE_SUBJECT", ""),
    },
    # Importing Stack Exchange dumps (docs/rules.md, "Import and export").
    "IMPORT": {
        "MATH": env_bool("IMPORT_MATH", False),
    },
    # Downloading one's data and deleting one's account (docs/rules.md, "Your data").
    "PRIVACY": {
        "EXPORT_EXPIRY_DAYS": 7,
        "DELETION_GRACE_DAYS": 7,
        "DELETION_PHRASE": "delete my account",
    },
}
