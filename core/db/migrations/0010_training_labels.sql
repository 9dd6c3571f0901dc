-- Staff corrections of what the NLP read (category, request type, urgency, sentiment): applied to
-- the case and kept as labelled data for retraining. The latest correction per message and field wins.
CREATE TABLE training_labels (
  id                   bigserial PRIMARY KEY,
  message_id           bigint NOT NULL REFERENCES messages (id),
  case_id              bigint REFERENCES cases (id),
  field                text NOT NULL CHECK (field IN ('category', 'requestType', 'urgency', 'sentiment')),
  label                text NOT NULL,
  predicted_label      text,
  predicted_confidence real,
  source               text NOT NULL DEFAULT 'staff',
  staff_username       text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, field)
);
CREATE INDEX training_labels_field_idx ON training_labels (field);
