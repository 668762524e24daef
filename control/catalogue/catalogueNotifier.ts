/**
 * Sends a notice about an update task once per `key` (the platform's notifications live in its
 * own store, which the catalogue does not open): to `departments`, and to the coordinating
 * office too when `toCoordinatingOffice`. Resolves whether it was sent now.
 */
export type CatalogueNotifier = (notice: {
  readonly key: string;
  readonly departments: readonly string[];
  readonly toCoordinatingOffice: boolean;
  readonly kind: 'CATALOGUE_UPDATE_OPENED' | 'CATALOGUE_UPDATE_OVERDUE' | 'CATALOGUE_REVIEW_SUBMITTED' | 'CATALOGUE_REVIEW_FILED' | 'CATALOGUE_REVIEW_RETURNED' | 'CATALOGUE_REVIEW_OVERDUE';
  readonly message: string;
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
}) => Promise<boolean>;
